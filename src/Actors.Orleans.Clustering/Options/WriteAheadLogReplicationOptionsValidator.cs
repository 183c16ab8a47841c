using Microsoft.Extensions.Options;

namespace Actors.Orleans.Clustering;

/// <summary>Fails the silo's start on a bad <see cref="WriteAheadLogReplicationOptions"/> value, naming the setting.</summary>
internal sealed class WriteAheadLogReplicationOptionsValidator : IValidateOptions<WriteAheadLogReplicationOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, WriteAheadLogReplicationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            failures.Add($"{nameof(WriteAheadLogReplicationOptions)}.{nameof(WriteAheadLogReplicationOptions.ConnectionString)} is required: the PostgreSQL database that holds the cluster's partition rows.");
        }
        else
        {
            try
            {
                _ = new Npgsql.NpgsqlConnectionStringBuilder(options.ConnectionString);
            }
            catch (ArgumentException ex)
            {
                failures.Add($"{nameof(WriteAheadLogReplicationOptions)}.{nameof(WriteAheadLogReplicationOptions.ConnectionString)} is not an Npgsql connection string: {ex.Message}");
            }
        }

        if (options.ReplicationFactor is < 1 or > WriteAheadLogReplicationOptions.MaxReplicationFactor)
        {
            failures.Add($"{nameof(WriteAheadLogReplicationOptions)}.{nameof(WriteAheadLogReplicationOptions.ReplicationFactor)} is {options.ReplicationFactor}: it must be between 1 and {WriteAheadLogReplicationOptions.MaxReplicationFactor} (3 is the usual choice).");
        }

        if (options.PartitionCount is { } partitionCount and (< 1 or > WriteAheadLogReplicationOptions.MaxPartitionCount))
        {
            failures.Add($"{nameof(WriteAheadLogReplicationOptions)}.{nameof(WriteAheadLogReplicationOptions.PartitionCount)} is {partitionCount}: it must be between 1 and {WriteAheadLogReplicationOptions.MaxPartitionCount}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
