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

    [Theory]
    [InlineData(nameof(Actors.Replication.Options.ReplicaOptions.CheckpointEveryEntries), 0L)]
    [InlineData(nameof(Actors.Replication.Options.ReplicaOptions.CheckpointEveryBytes), -1L)]
    [InlineData(nameof(Actors.Replication.Options.ReplicaOptions.EntryLogSegmentBytes), 4095L)]
    public void Validate_ReplicationCheckpointSettingOutOfRange_FailsNamingTheSetting(string setting, long value)
    {
        var options = new ClusterOptions { ReplicationFactor = 3 };
        typeof(Actors.Replication.Options.ReplicaOptions).GetProperty(setting)!.SetValue(options.Replication, value);

        var result = new ClusterOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains($"ClusterOptions.Replication: ReplicaOptions.{setting} must be at least", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains($"was {value}", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Replication_CheckpointDefaults_AreDocumentedValues()
    {
        var options = new Actors.Replication.Options.ReplicaOptions();

        Assert.Equal(65_536, options.CheckpointEveryEntries);
        Assert.Equal(64L * 1024 * 1024, options.CheckpointEveryBytes);
        Assert.Equal(64L * 1024 * 1024, options.EntryLogSegmentBytes);
    }
}
