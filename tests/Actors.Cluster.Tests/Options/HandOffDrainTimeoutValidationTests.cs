namespace Actors.Cluster.Tests.Options;

public sealed class HandOffDrainTimeoutValidationTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(30)]
    [InlineData(60)]
    public void Validate_DrainTimeoutNotBelowPartitionWait_FailsNamingTheSetting(int seconds)
    {
        var result = new ClusterOptionsValidator().Validate(null, new ClusterOptions { HandOffDrainTimeout = TimeSpan.FromSeconds(seconds), PartitionWaitTimeout = TimeSpan.FromSeconds(30) });

        Assert.True(result.Failed);
        Assert.Contains("ClusterOptions.HandOffDrainTimeout must be", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_DefaultDrainTimeout_SucceedsAndIsBelowPartitionWait()
    {
        var options = new ClusterOptions();

        Assert.True(new ClusterOptionsValidator().Validate(null, options).Succeeded);
        Assert.True(options.HandOffDrainTimeout < options.PartitionWaitTimeout);
    }
}
