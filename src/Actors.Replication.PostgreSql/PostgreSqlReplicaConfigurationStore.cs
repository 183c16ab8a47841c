using System.Collections.Immutable;
using Actors.Replication.Configuration;
using Npgsql;

namespace Actors.Replication.PostgreSql;

/// <summary>
/// The <see cref="IReplicaConfigurationStore"/> of one partition log in PostgreSQL: one row of
/// <c>actors_replica_configurations</c>; a write is one <c>UPDATE ... WHERE version = expected</c>, so PostgreSQL's row
/// lock orders concurrent writers and exactly one of several writers on one version wins.
/// </summary>
/// <remarks>
/// Thread-safe. Failures (connection, timeout, server) surface as <see cref="ReplicaConfigurationStoreException"/>
/// naming the cluster and partition; after a failed write its outcome is unknown and the caller must read.
/// </remarks>
public sealed class PostgreSqlReplicaConfigurationStore : IReplicaConfigurationStore
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly string _clusterId;
    private readonly int _partition;

    /// <summary>Creates the store of partition <paramref name="partition"/> of <paramref name="clusterId"/> over a shared data source.</summary>
    public PostgreSqlReplicaConfigurationStore(NpgsqlDataSource dataSource, string clusterId, int partition)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentException.ThrowIfNullOrEmpty(clusterId);
        ArgumentOutOfRangeException.ThrowIfNegative(partition);
        _dataSource = dataSource;
        _clusterId = clusterId;
        _partition = partition;
    }

    /// <summary>
    /// Creates the <c>actors_replica_configurations</c> table when missing, under a transaction-level advisory lock so
    /// that processes starting together do not race on the DDL.
    /// </summary>
    /// <exception cref="ReplicaConfigurationStoreException">PostgreSQL could not be reached or refused the DDL.</exception>
    public static async Task CreateSchemaAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await using (var lockCommand = new NpgsqlCommand("SELECT pg_advisory_xact_lock(@k)", connection, transaction))
            {
                lockCommand.Parameters.AddWithValue("k", PostgreSqlReplicaConfigurationSchema.LockKey);
                await lockCommand.ExecuteNonQueryAsync(cancellationToken);
            }

            await using (var create = new NpgsqlCommand(PostgreSqlReplicaConfigurationSchema.Create, connection, transaction))
            {
                await create.ExecuteNonQueryAsync(cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
        }
        catch (Exception exception) when (exception is NpgsqlException or TimeoutException)
        {
            throw new ReplicaConfigurationStoreException($"Replica configuration store: creating table actors_replica_configurations failed: {exception.Message}", exception);
        }
    }

    /// <summary>
    /// Creates the table if needed and stores <paramref name="initial"/> unless the partition already has a
    /// configuration; returns what the store holds afterwards (the existing row wins).
    /// </summary>
    public Task<ReplicaConfiguration> InitializeAsync(ReplicaConfiguration initial, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(initial);
        ReplicaConfiguration.ValidateProposal(initial.Version - 1, initial);
        return Guard("initialize", async () =>
        {
            await using (var connection = await _dataSource.OpenConnectionAsync(cancellationToken))
            await using (var transaction = await connection.BeginTransactionAsync(cancellationToken))
            {
                await using (var lockCommand = new NpgsqlCommand("SELECT pg_advisory_xact_lock(@k)", connection, transaction))
                {
                    lockCommand.Parameters.AddWithValue("k", PostgreSqlReplicaConfigurationSchema.LockKey);
                    await lockCommand.ExecuteNonQueryAsync(cancellationToken);
                }

                await using (var create = new NpgsqlCommand(PostgreSqlReplicaConfigurationSchema.Create, connection, transaction))
                {
                    await create.ExecuteNonQueryAsync(cancellationToken);
                }

                await using (var insert = new NpgsqlCommand(
                    """
                    INSERT INTO actors_replica_configurations (cluster_id, partition, version, epoch, leader, replicas, in_sync)
                    VALUES (@c, @p, @v, @e, @l, @r, @s) ON CONFLICT (cluster_id, partition) DO NOTHING
                    """, connection, transaction))
                {
                    AddRow(insert, initial);
                    await insert.ExecuteNonQueryAsync(cancellationToken);
                }

                await transaction.CommitAsync(cancellationToken);
            }

            return await ReadCoreAsync(cancellationToken);
        });
    }

    /// <inheritdoc />
    public async ValueTask<ReplicaConfiguration> ReadAsync(CancellationToken cancellationToken = default) =>
        await Guard("read", () => ReadCoreAsync(cancellationToken));

    /// <inheritdoc />
    public async ValueTask<ConfigurationWriteResult> TryWriteAsync(
        long expectedVersion, ReplicaConfiguration proposal, CancellationToken cancellationToken = default)
    {
        ReplicaConfiguration.ValidateProposal(expectedVersion, proposal);
        return await Guard($"write version {proposal.Version} over {expectedVersion}", async () =>
        {
            await using (var connection = await _dataSource.OpenConnectionAsync(cancellationToken))
            await using (var update = new NpgsqlCommand(
                """
                UPDATE actors_replica_configurations SET version = @v, epoch = @e, leader = @l, replicas = @r, in_sync = @s
                WHERE cluster_id = @c AND partition = @p AND version = @expected
                """, connection))
            {
                AddRow(update, proposal);
                update.Parameters.AddWithValue("expected", expectedVersion);
                if (await update.ExecuteNonQueryAsync(cancellationToken) == 1)
                {
                    return new ConfigurationWriteResult(true, proposal);
                }
            }

            return new ConfigurationWriteResult(false, await ReadCoreAsync(cancellationToken));
        });
    }

    private async Task<ReplicaConfiguration> ReadCoreAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var select = new NpgsqlCommand(
            "SELECT version, epoch, leader, replicas, in_sync FROM actors_replica_configurations WHERE cluster_id = @c AND partition = @p",
            connection);
        select.Parameters.AddWithValue("c", _clusterId);
        select.Parameters.AddWithValue("p", _partition);
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            throw new ReplicaConfigurationStoreException(
                $"Partition {_partition} of cluster '{_clusterId}' has no replica configuration in PostgreSQL (InitializeAsync was not called).");
        }

        return new ReplicaConfiguration(
            reader.GetInt64(0),
            reader.GetInt64(1),
            new ReplicaId(reader.GetInt32(2)),
            [.. reader.GetFieldValue<int[]>(3).Select(v => new ReplicaId(v))],
            [.. reader.GetFieldValue<int[]>(4).Select(v => new ReplicaId(v))]);
    }

    private void AddRow(NpgsqlCommand command, ReplicaConfiguration configuration)
    {
        command.Parameters.AddWithValue("c", _clusterId);
        command.Parameters.AddWithValue("p", _partition);
        command.Parameters.AddWithValue("v", configuration.Version);
        command.Parameters.AddWithValue("e", configuration.Epoch);
        command.Parameters.AddWithValue("l", configuration.Leader.Value);
        command.Parameters.AddWithValue("r", Values(configuration.Replicas));
        command.Parameters.AddWithValue("s", Values(configuration.InSync));
    }

    private static int[] Values(ImmutableArray<ReplicaId> replicas) => [.. replicas.Select(r => r.Value)];

    private async Task<T> Guard<T>(string operation, Func<Task<T>> action)
    {
        try
        {
            return await action();
        }
        catch (Exception exception) when (exception is NpgsqlException or TimeoutException)
        {
            throw new ReplicaConfigurationStoreException(
                $"Replica configuration store: {operation} of partition {_partition} of cluster '{_clusterId}' failed: {exception.Message}",
                exception);
        }
    }
}
