using Actors.Replication;
using Actors.Replication.Configuration;
using Actors.Replication.PostgreSql;
using Npgsql;

namespace Actors.Orleans.Clustering.Storage;

/// <summary>
/// The cluster's rows in PostgreSQL: the cluster row, the replicas and the partition rows (read here; written through
/// <see cref="PostgreSqlReplicaConfigurationStore"/>, every change a conditional update on the row's version).
/// </summary>
/// <remarks>Thread-safe. Owns its data source. PostgreSQL failures surface as <see cref="ReplicaConfigurationStoreException"/>
/// naming the operation and the cluster.</remarks>
internal sealed class ClusterCatalog : IAsyncDisposable
{
    private readonly NpgsqlDataSource _dataSource;

    public ClusterCatalog(string connectionString, string clusterId)
    {
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        ArgumentException.ThrowIfNullOrEmpty(clusterId);
        // No DISCARD ALL when a pooled connection is taken again: these queries leave no session state (advisory locks
        // are transaction-level), and the reset would double the statements of every short read (the replicas' polls).
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        builder.ConnectionStringBuilder.NoResetOnClose = true;
        _dataSource = builder.Build();
        ClusterId = clusterId;
    }

    /// <summary>The Orleans ClusterId the rows belong to.</summary>
    public string ClusterId { get; }

    /// <summary>The store of one partition's row.</summary>
    public PostgreSqlReplicaConfigurationStore Partition(int partition) => new(_dataSource, ClusterId, partition);

    /// <summary>Every partition row of the cluster as the replication protocol reads it (partitions never placed have none).</summary>
    public Task<Dictionary<int, ReplicaConfiguration>> ReadConfigurationsAsync(CancellationToken cancellationToken) =>
        GuardAsync("reading the partition configurations", async () =>
        {
            await using NpgsqlConnection connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using var select = new NpgsqlCommand("SELECT partition, version, epoch, leader, replicas, in_sync FROM actors_replica_configurations WHERE cluster_id = @c", connection);
            select.Parameters.AddWithValue("c", ClusterId);
            var rows = new Dictionary<int, ReplicaConfiguration>();
            await using NpgsqlDataReader reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                rows[reader.GetInt32(0)] = new ReplicaConfiguration(
                    reader.GetInt64(1),
                    reader.GetInt64(2),
                    new ReplicaId(reader.GetInt32(3)),
                    [.. reader.GetFieldValue<int[]>(4).Order().Select(v => new ReplicaId(v))],
                    [.. reader.GetFieldValue<int[]>(5).Order().Select(v => new ReplicaId(v))]);
            }

            return rows;
        });

    /// <summary>
    /// Creates the tables when missing and the cluster row with <paramref name="partitionCount"/> when missing; returns the
    /// cluster's stored partition count and partition format (the first silo's, whatever this one asked).
    /// </summary>
    public Task<(int PartitionCount, int PartitionFormat)> EnsureClusterAsync(int partitionCount, CancellationToken cancellationToken) =>
        GuardAsync("creating the cluster row", async () =>
        {
            await PostgreSqlReplicaConfigurationStore.CreateSchemaAsync(_dataSource, cancellationToken).ConfigureAwait(false);
            await using NpgsqlConnection connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using NpgsqlTransaction transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(connection, transaction, "SELECT pg_advisory_xact_lock(@k)", cancellationToken, ("k", ClusterSchema.LockKey)).ConfigureAwait(false);
            await ExecuteAsync(connection, transaction, ClusterSchema.Create, cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(
                connection,
                transaction,
                "INSERT INTO actors_orleans_clusters (cluster_id, partition_count, partition_format) VALUES (@c, @n, @f) ON CONFLICT (cluster_id) DO NOTHING",
                cancellationToken,
                ("c", ClusterId),
                ("n", partitionCount),
                ("f", ClusterSchema.PartitionFormat)).ConfigureAwait(false);
            await using var select = new NpgsqlCommand("SELECT partition_count, partition_format FROM actors_orleans_clusters WHERE cluster_id = @c", connection, transaction);
            select.Parameters.AddWithValue("c", ClusterId);
            (int, int) stored;
            await using (NpgsqlDataReader reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                _ = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                stored = (reader.GetInt32(0), reader.GetInt32(1));
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return stored;
        });

    /// <summary>Allocates the next replica number of the cluster for a silo named <paramref name="siloName"/> at <paramref name="siloAddress"/>.</summary>
    public Task<int> AllocateReplicaAsync(string siloName, string siloAddress, CancellationToken cancellationToken) =>
        GuardAsync("allocating a replica number", async () =>
        {
            await using NpgsqlConnection connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using NpgsqlTransaction transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(connection, transaction, "SELECT pg_advisory_xact_lock(@k)", cancellationToken, ("k", ClusterSchema.LockKey)).ConfigureAwait(false);
            await using var insert = new NpgsqlCommand(
                """
                INSERT INTO actors_orleans_replicas (cluster_id, replica, silo_name, silo_address)
                SELECT @c, COALESCE(MAX(replica), 0) + 1, @n, @a FROM actors_orleans_replicas WHERE cluster_id = @c
                RETURNING replica
                """,
                connection,
                transaction);
            insert.Parameters.AddWithValue("c", ClusterId);
            insert.Parameters.AddWithValue("n", siloName);
            insert.Parameters.AddWithValue("a", siloAddress);
            int replica = (int)(await insert.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return replica;
        });

    /// <summary>Records that replica <paramref name="replica"/> is now served by the silo at <paramref name="siloAddress"/>; false when the cluster has no such replica.</summary>
    public Task<bool> UpdateReplicaAsync(int replica, string siloName, string siloAddress, CancellationToken cancellationToken) =>
        GuardAsync($"recording the address of replica {replica}", async () =>
        {
            await using NpgsqlConnection connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            int updated = await ExecuteAsync(
                connection,
                null,
                "UPDATE actors_orleans_replicas SET silo_name = @n, silo_address = @a, updated_at = clock_timestamp() WHERE cluster_id = @c AND replica = @r",
                cancellationToken,
                ("c", ClusterId),
                ("r", replica),
                ("n", siloName),
                ("a", siloAddress)).ConfigureAwait(false);
            return updated == 1;
        });

    /// <summary>Every replica of the cluster and the Orleans address (parsable form) of the silo that last opened it.</summary>
    public Task<Dictionary<int, string>> ReadReplicasAsync(CancellationToken cancellationToken) =>
        GuardAsync("reading the replicas", async () =>
        {
            await using NpgsqlConnection connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using var select = new NpgsqlCommand("SELECT replica, silo_address FROM actors_orleans_replicas WHERE cluster_id = @c", connection);
            select.Parameters.AddWithValue("c", ClusterId);
            var replicas = new Dictionary<int, string>();
            await using NpgsqlDataReader reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                replicas[reader.GetInt32(0)] = reader.GetString(1);
            }

            return replicas;
        });

    /// <summary>Every partition row of the cluster (partitions never placed have none).</summary>
    public Task<Dictionary<int, PartitionRow>> ReadPartitionsAsync(CancellationToken cancellationToken) =>
        GuardAsync("reading the partition rows", async () =>
        {
            await using NpgsqlConnection connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using var select = new NpgsqlCommand("SELECT partition, version, epoch, leader, replicas FROM actors_replica_configurations WHERE cluster_id = @c", connection);
            select.Parameters.AddWithValue("c", ClusterId);
            var rows = new Dictionary<int, PartitionRow>();
            await using NpgsqlDataReader reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var row = new PartitionRow(reader.GetInt32(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt32(3), [.. reader.GetFieldValue<int[]>(4).Order()]);
                rows[row.Partition] = row;
            }

            return rows;
        });

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    private static async Task<int> ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        foreach ((string name, object value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<T> GuardAsync<T>(string operation, Func<Task<T>> action)
    {
        try
        {
            return await action().ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is NpgsqlException or TimeoutException)
        {
            throw new ReplicaConfigurationStoreException($"Cluster '{ClusterId}': {operation} in PostgreSQL failed: {exception.Message}", exception);
        }
    }
}
