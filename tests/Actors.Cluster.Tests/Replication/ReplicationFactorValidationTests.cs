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
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(ClusterOptions.MaxReplicationFactor)]
    public void Validate_ReplicationFactorTwoToMax_Succeeds(int factor)
    {
        var result = new ClusterOptionsValidator().Validate(null, new ClusterOptions { ReplicationFactor = factor });

        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(ClusterOptions.MaxReplicationFactor + 1)]
    public void Validate_ReplicationFactorOutOfRange_FailsNamingTheSetting(int factor)
    {
        var result = new ClusterOptionsValidator().Validate(null, new ClusterOptions { ReplicationFactor = factor });

        Assert.True(result.Failed);
        Assert.Contains($"ClusterOptions.ReplicationFactor must be between 1 and {ClusterOptions.MaxReplicationFactor}", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains($"got {factor}", result.FailureMessage, StringComparison.Ordinal);
    }
}
