namespace Actors.Cluster.Tests.Replication;

public sealed class ReplicationFactorValidationTests
{
    [Fact]
    public void Validate_DefaultReplicationFactor_Succeeds()
    {
        var result = new ClusterOptionsValidator().Validate(null, new ClusterOptions());

        Assert.True(result.Succeeded, result.FailureMessage);
        Assert.Equal(1, new ClusterOptions().ReplicationFactor);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    public void Validate_ReplicationFactorOtherThanOne_FailsNamingTheSetting(int factor)
    {
        var result = new ClusterOptionsValidator().Validate(null, new ClusterOptions { ReplicationFactor = factor });

        Assert.True(result.Failed);
        Assert.Contains("ClusterOptions.ReplicationFactor must be 1", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains($"got {factor}", result.FailureMessage, StringComparison.Ordinal);
    }
}
