namespace Actors.Wal.Tests.Options;

/// <summary>Validation of <see cref="WriteAheadLogOptions.EraseCompactionQuietPeriod"/> and <see cref="WriteAheadLogOptions.EraseCompactionMaxDelay"/>.</summary>
public sealed class EraseCompactionOptionsTests
{
    private static WriteAheadLogOptions Valid() => new() { Directory = "/tmp/actors-wal-options" };

    [Fact]
    public void Defaults_QuietOneSecondBoundThirtySeconds()
    {
        var options = Valid();
        Assert.Equal((TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30)), (options.EraseCompactionQuietPeriod, options.EraseCompactionMaxDelay));
        Assert.True(new WriteAheadLogOptionsValidator().Validate(null, options).Succeeded);
    }

    [Fact]
    public void Validate_ZeroQuietPeriod_Succeeds()
    {
        var options = Valid();
        options.EraseCompactionQuietPeriod = TimeSpan.Zero; // every erase asks for a pass at once
        var result = new WriteAheadLogOptionsValidator().Validate(null, options);
        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Theory]
    [InlineData(-1.0, 30.0, "EraseCompactionQuietPeriod")]
    [InlineData(601.0, 3600.0, "EraseCompactionQuietPeriod")]
    [InlineData(1.0, 0.0, "EraseCompactionMaxDelay")]
    [InlineData(10.0, 5.0, "EraseCompactionMaxDelay")]
    [InlineData(1.0, 3601.0, "EraseCompactionMaxDelay")]
    public void Validate_OutOfRange_FailsNamingSetting(double quietSeconds, double boundSeconds, string setting)
    {
        var options = Valid();
        options.EraseCompactionQuietPeriod = TimeSpan.FromSeconds(quietSeconds);
        options.EraseCompactionMaxDelay = TimeSpan.FromSeconds(boundSeconds);
        var result = new WriteAheadLogOptionsValidator().Validate("orders", options);
        Assert.True(result.Failed);
        Assert.Contains(result.Failures!, f => f.StartsWith($"[orders] {setting} ", StringComparison.Ordinal));
    }
}
