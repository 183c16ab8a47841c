using Microsoft.Extensions.Options;

namespace Actors.Orleans.Clustering.Tests.Hosting;

public sealed class OptionsValidationTests
{
    [Fact]
    public void Validate_Defaults_WithConnectionString_Succeeds()
    {
        var options = new WriteAheadLogReplicationOptions { ConnectionString = "Host=127.0.0.1;Username=postgres" };

        Assert.True(new WriteAheadLogReplicationOptionsValidator().Validate(null, options).Succeeded);
        Assert.Null(options.PartitionCount);
        Assert.Equal(1, options.ReplicationFactor);
    }

    [Theory]
    [InlineData(null, 1, 64, "WriteAheadLogReplicationOptions.ConnectionString")]
    [InlineData("Host=127.0.0.1;NoSuchKeyword=1", 1, 64, "WriteAheadLogReplicationOptions.ConnectionString")]
    [InlineData("Host=127.0.0.1", 0, 64, "WriteAheadLogReplicationOptions.ReplicationFactor")]
    [InlineData("Host=127.0.0.1", 6, 64, "WriteAheadLogReplicationOptions.ReplicationFactor")]
    [InlineData("Host=127.0.0.1", 1, 0, "WriteAheadLogReplicationOptions.PartitionCount")]
    [InlineData("Host=127.0.0.1", 1, 4097, "WriteAheadLogReplicationOptions.PartitionCount")]
    public void Validate_BadValue_FailsNamingTheSetting(string? connectionString, int replicationFactor, int partitionCount, string setting)
    {
        var options = new WriteAheadLogReplicationOptions { ConnectionString = connectionString, ReplicationFactor = replicationFactor, PartitionCount = partitionCount };

        ValidateOptionsResult result = new WriteAheadLogReplicationOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains(setting, result.FailureMessage, StringComparison.Ordinal);
    }
}
