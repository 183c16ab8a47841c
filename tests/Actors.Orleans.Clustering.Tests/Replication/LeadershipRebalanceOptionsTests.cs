namespace Actors.Orleans.Clustering.Tests.Replication;

public sealed class LeadershipRebalanceOptionsTests
{
    [Fact]
    public void Validate_Defaults_Succeeds()
    {
        var options = new LeadershipRebalanceOptions();

        options.Validate();
        Assert.True(options.Enabled);
        Assert.Equal(TimeSpan.FromSeconds(1), options.Interval);
        Assert.Equal(4, options.MaxMovesPerPass);
    }

    [Theory]
    [InlineData(50, 4, "LeadershipRebalanceOptions.Interval")]
    [InlineData(3_600_000, 4, "LeadershipRebalanceOptions.Interval")]
    [InlineData(1000, 0, "LeadershipRebalanceOptions.MaxMovesPerPass")]
    [InlineData(1000, 4097, "LeadershipRebalanceOptions.MaxMovesPerPass")]
    public void Validate_BadValue_FailsNamingTheSetting(int intervalMilliseconds, int maxMoves, string setting)
    {
        var options = new LeadershipRebalanceOptions { Interval = TimeSpan.FromMilliseconds(intervalMilliseconds), MaxMovesPerPass = maxMoves };

        var failure = Assert.Throws<WriteAheadLogReplicationException>(options.Validate);

        Assert.Contains(setting, failure.Message, StringComparison.Ordinal);
    }
}
