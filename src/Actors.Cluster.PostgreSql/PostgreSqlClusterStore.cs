using Actors.Cluster.Membership;
using Npgsql;

namespace Actors.Cluster.PostgreSql;

/// <summary>
/// The <see cref="IClusterStore"/> in PostgreSQL. Every <see cref="TryApplyAsync"/> is one transaction that locks the
/// cluster row (so updates of one cluster are serialized), locks and checks every row it names (versions, lease
/// conditions against <c>clock_timestamp()</c>), writes, and bumps the table version. Renewals are one statement that
/// waits for a transaction that writes the silo's row or declares it dead (so a renewal and a declaration of death never
/// both win), but not for one that only requires its lease valid (<see cref="LeaseConditionSql"/>).
/// </summary>
/// <remarks>Thread-safe; uses one <see cref="NpgsqlDataSource"/> (a connection pool).</remarks>
public sealed class PostgreSqlClusterStore : IClusterStore, IAsyncDisposable
{
    private const string DatabaseClock = "clock_timestamp()";

    private readonly NpgsqlDataSource _dataSource;
    private readonly string _clock;
    private int _schemaReady;

    /// <summary>Creates the store over <paramref name="connectionString"/> (nothing is opened yet).</summary>
    public PostgreSqlClusterStore(string connectionString)
        : this(connectionString, DatabaseClock)
    {
    }

    /// <summary>
    /// Creates the store with <paramref name="clockSql"/> as the store's clock instead of <c>clock_timestamp()</c>: a
    /// SQL expression of type timestamptz (tests drive leases with a clock in a table; see the conformance tests).
    /// </summary>
    internal PostgreSqlClusterStore(string connectionString, string clockSql)
    {
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        ArgumentException.ThrowIfNullOrEmpty(clockSql);
        _dataSource = NpgsqlDataSource.Create(connectionString);
        _clock = clockSql;
    }

    /// <inheritdoc />
    public async Task<ClusterSnapshot> InitializeAsync(string clusterId, int partitionCount, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(clusterId);
        ArgumentOutOfRangeException.ThrowIfLessThan(partitionCount, 1);
        await Guard(clusterId, async () =>
        {
            await using NpgsqlConnection connection = await _dataSource.OpenConnectionAsync(cancellationToken);
            await using NpgsqlTransaction transaction = await connection.BeginTransactionAsync(cancellationToken);
            await Execute(connection, "SELECT pg_advisory_xact_lock(@k)", cancellationToken, ("k", PostgreSqlClusterSchema.LockKey));
            if (Volatile.Read(ref _schemaReady) == 0)
            {
                await MigrateAsync(connection, cancellationToken);
                Volatile.Write(ref _schemaReady, 1);
            }

            int inserted = await Execute(connection, "INSERT INTO actors_cluster (cluster_id, partition_count, table_version) VALUES (@c, @n, 1) ON CONFLICT (cluster_id) DO NOTHING",
                cancellationToken, ("c", clusterId), ("n", partitionCount));
            if (inserted == 1)
            {
                await Execute(connection, """
                    INSERT INTO actors_partitions (cluster_id, partition, owner, owner_incarnation, epoch, state, target, version, changed_in)
                    SELECT @c, p, NULL, 0, 0, 0, NULL, 1, 1 FROM generate_series(0, @n - 1) AS p
                    """, cancellationToken, ("c", clusterId), ("n", partitionCount));
            }

            await transaction.CommitAsync(cancellationToken);
            return 0;
        });
        return await ReadAsync(clusterId, cancellationToken);
    }

    /// <summary>
    /// Brings the schema to <see cref="PostgreSqlClusterSchema.Version"/> inside the caller's transaction, which holds the
    /// schema advisory lock: applies each missing migration in order and records it, or does nothing when the database is
    /// current. A database at a newer version is refused.
    /// </summary>
    private static async Task MigrateAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await Execute(connection, PostgreSqlClusterSchema.CreateVersionTable, cancellationToken);
        int current = await Scalar<int?>(connection, "SELECT version FROM actors_schema WHERE id = 1", cancellationToken) ?? 0;
        int latest = PostgreSqlClusterSchema.Version;
        if (current > latest)
        {
            throw new ClusterStoreException(
                $"The PostgreSQL cluster schema is at version {current}, newer than this silo's {latest}: a newer silo migrated it. Upgrade this silo; it does not write an older layout.");
        }

        for (int version = current + 1; version <= latest; version++)
        {
            (string description, string sql) = PostgreSqlClusterSchema.Migrations[version - 1];
            await Execute(connection, sql, cancellationToken);
            if (version >= 2)
            {
                await Execute(connection, "INSERT INTO actors_schema_history (version, description) VALUES (@v, @d)", cancellationToken, ("v", version), ("d", description));
            }
        }

        if (current < latest)
        {
            await Execute(connection, "INSERT INTO actors_schema (id, version) VALUES (1, @v) ON CONFLICT (id) DO UPDATE SET version = excluded.version",
                cancellationToken, ("v", latest));
        }
    }

    /// <inheritdoc />
    public async Task<ClusterSnapshot> ReadAsync(string clusterId, CancellationToken cancellationToken)
    {
        ClusterChanges all = await ReadRowsAsync(clusterId, sinceTableVersion: null, cancellationToken);
        var partitions = new PartitionRecord[all.PartitionCount];
        foreach (PartitionRecord partition in all.Partitions)
        {
            partitions[partition.Partition] = partition;
        }

        return new ClusterSnapshot(clusterId, all.PartitionCount, all.TableVersion, all.Now, all.Silos, partitions);
    }

    /// <inheritdoc />
    public Task<ClusterChanges> ReadChangesAsync(string clusterId, long sinceTableVersion, CancellationToken cancellationToken)
        => ReadRowsAsync(clusterId, sinceTableVersion, cancellationToken);

    /// <summary>
    /// Reads, in one repeatable-read transaction, the cluster row and the rows whose <c>changed_in</c> is after
    /// <paramref name="sinceTableVersion"/> (every row when null). Updates of a cluster are serialized by its row lock
    /// and stamp <c>changed_in</c> with the version they bring the table to, so the rows read are exactly those changed
    /// between the two versions.
    /// </summary>
    private Task<ClusterChanges> ReadRowsAsync(string clusterId, long? sinceTableVersion, CancellationToken cancellationToken) => Guard(clusterId, async () =>
    {
        await using NpgsqlConnection connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using NpgsqlTransaction transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken);
        int partitionCount;
        long tableVersion;
        DateTimeOffset now;
        await using (NpgsqlCommand command = Command(connection, Clocked("SELECT partition_count, table_version, clock_timestamp() FROM actors_cluster WHERE cluster_id = @c"), ("c", clusterId)))
        await using (NpgsqlDataReader reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            if (!await reader.ReadAsync(cancellationToken))
            {
                throw new ClusterStoreException($"Cluster '{clusterId}' does not exist in the PostgreSQL cluster store (InitializeAsync creates it).");
            }

            partitionCount = reader.GetInt32(0);
            tableVersion = reader.GetInt64(1);
            now = reader.GetFieldValue<DateTimeOffset>(2);
        }

        string changedSince = sinceTableVersion is null ? "" : " AND changed_in > @since";
        long since = sinceTableVersion ?? 0;
        var silos = new List<SiloRecord>();
        var partitions = new List<PartitionRecord>();
        if (since < tableVersion)
        {
            await using (NpgsqlCommand command = Command(connection, $"SELECT name, incarnation, status, silo_endpoint, gateway_endpoint, lease_expires_at, started_at, version FROM actors_silos WHERE cluster_id = @c{changedSince} ORDER BY name COLLATE \"C\"", ("c", clusterId), ("since", since)))
            await using (NpgsqlDataReader reader = await command.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    silos.Add(ReadSilo(reader));
                }
            }

            await using (NpgsqlCommand command = Command(connection, $"SELECT partition, owner, owner_incarnation, epoch, state, target, version, replicas, in_sync FROM actors_partitions WHERE cluster_id = @c{changedSince} ORDER BY partition", ("c", clusterId), ("since", since)))
            await using (NpgsqlDataReader reader = await command.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    partitions.Add(new PartitionRecord(reader.GetInt32(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.GetInt64(2), reader.GetInt64(3),
                        (PartitionState)reader.GetInt16(4), reader.IsDBNull(5) ? null : reader.GetString(5), reader.GetInt64(6))
                    {
                        Replicas = reader.GetFieldValue<string[]>(7),
                        InSync = reader.GetFieldValue<string[]>(8),
                    });
                }
            }
        }

        await transaction.CommitAsync(cancellationToken);
        return new ClusterChanges(clusterId, partitionCount, since, tableVersion, now, silos, partitions);
    });

    /// <inheritdoc />
    public Task<LeaseRenewal> RenewLeaseAsync(string clusterId, string silo, long incarnation, TimeSpan duration, CancellationToken cancellationToken) => Guard(clusterId, async () =>
    {
        await using NpgsqlConnection connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using NpgsqlCommand command = RenewCommand(connection, clusterId, silo, incarnation, duration);
        await using NpgsqlDataReader reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        RenewedRow renewed = ReadRenewedRow(reader);
        await reader.NextResultAsync(cancellationToken);
        var expired = new List<SiloRecord>();
        while (await reader.ReadAsync(cancellationToken))
        {
            expired.Add(ReadSilo(reader));
        }

        return renewed.ToRenewal(expired);
    });

    /// <inheritdoc />
    /// <remarks>
    /// Synchronous I/O on a pooled connection, one round trip: nothing on the path waits for the thread pool. The command
    /// timeout is <paramref name="timeout"/> rounded up to whole seconds (PostgreSQL's unit), at least 1 s.
    /// </remarks>
    public LeaseRenewal RenewLease(string clusterId, string silo, long incarnation, TimeSpan duration, TimeSpan timeout)
    {
        try
        {
            using NpgsqlConnection connection = _dataSource.OpenConnection();
            using NpgsqlCommand command = RenewCommand(connection, clusterId, silo, incarnation, duration);
            command.CommandTimeout = timeout == Timeout.InfiniteTimeSpan ? 0 : (int)Math.Max(1, Math.Ceiling(timeout.TotalSeconds));
            using NpgsqlDataReader reader = command.ExecuteReader();
            reader.Read();
            RenewedRow renewed = ReadRenewedRow(reader);
            reader.NextResult();
            var expired = new List<SiloRecord>();
            while (reader.Read())
            {
                expired.Add(ReadSilo(reader));
            }

            return renewed.ToRenewal(expired);
        }
        catch (NpgsqlException ex)
        {
            throw StoreFailed(clusterId, ex);
        }
    }

    /// <summary>
    /// The renewal: one statement extends the lease if the row is this incarnation's and live (it waits for a transaction
    /// that changes the row or declares the silo dead, never for one that only requires its lease valid: see
    /// <see cref="LeaseConditionSql"/>), and reports the clock, the table version and the row's status; a second statement
    /// in the same round trip reads the live silos whose lease has ended.
    /// </summary>
    private NpgsqlCommand RenewCommand(NpgsqlConnection connection, string clusterId, string silo, long incarnation, TimeSpan duration)
        => Command(connection, Clocked("""
            WITH renewed AS (
                UPDATE actors_silos SET lease_expires_at = clock_timestamp() + @lease
                WHERE cluster_id = @c AND name = @n AND incarnation = @i AND status IN (1, 2)
                RETURNING lease_expires_at)
            SELECT (SELECT lease_expires_at FROM renewed), clock_timestamp(),
                   (SELECT table_version FROM actors_cluster WHERE cluster_id = @c),
                   (SELECT status FROM actors_silos WHERE cluster_id = @c AND name = @n AND incarnation = @i);
            SELECT name, incarnation, status, silo_endpoint, gateway_endpoint, lease_expires_at, started_at, version FROM actors_silos
            WHERE cluster_id = @c AND status IN (1, 2) AND lease_expires_at <= clock_timestamp()
            """), ("lease", duration), ("c", clusterId), ("n", silo), ("i", incarnation));

    private static RenewedRow ReadRenewedRow(NpgsqlDataReader reader) => new(
        reader.IsDBNull(0) ? null : reader.GetFieldValue<DateTimeOffset>(0),
        reader.GetFieldValue<DateTimeOffset>(1),
        reader.GetInt64(2),
        reader.IsDBNull(3) ? null : reader.GetInt16(3));

    /// <inheritdoc />
    public Task<bool> TryApplyAsync(string clusterId, ClusterUpdate update, CancellationToken cancellationToken) => Guard(clusterId, async () =>
    {
        ArgumentNullException.ThrowIfNull(update);
        await using NpgsqlConnection connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using NpgsqlTransaction transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (await Scalar<long?>(connection, "SELECT table_version FROM actors_cluster WHERE cluster_id = @c FOR UPDATE", cancellationToken, ("c", clusterId)) is not { } tableVersion)
        {
            throw new ClusterStoreException($"Cluster '{clusterId}' does not exist in the PostgreSQL cluster store.");
        }

        long changedIn = tableVersion + 1;

        foreach (LeaseCondition condition in update.Leases)
        {
            await using NpgsqlCommand command = Command(connection, Clocked(LeaseConditionSql(condition.MustBeValid)), ("c", clusterId), ("n", condition.Silo));
            await using NpgsqlDataReader reader = await command.ExecuteReaderAsync(cancellationToken);
            if (!await reader.ReadAsync(cancellationToken) || reader.GetInt64(0) != condition.Incarnation)
            {
                return false;
            }

            bool live = reader.GetBoolean(1);
            bool unexpired = reader.GetBoolean(2);
            if (condition.MustBeValid ? !(live && unexpired) : unexpired)
            {
                return false;
            }
        }

        foreach (SiloWrite write in update.Silos)
        {
            long current = await Scalar<long?>(connection, "SELECT version FROM actors_silos WHERE cluster_id = @c AND name = @n FOR UPDATE",
                cancellationToken, ("c", clusterId), ("n", write.Record.Name)) ?? 0;
            if (current != write.ExpectedVersion)
            {
                return false;
            }
        }

        foreach (PartitionWrite write in update.Partitions)
        {
            long? current = await Scalar<long?>(connection, "SELECT version FROM actors_partitions WHERE cluster_id = @c AND partition = @p FOR UPDATE",
                cancellationToken, ("c", clusterId), ("p", write.Record.Partition));
            if (current != write.ExpectedVersion)
            {
                return false;
            }
        }

        foreach (SiloWrite write in update.Silos)
        {
            SiloRecord r = write.Record;
            await Execute(connection, Clocked("""
                INSERT INTO actors_silos AS s (cluster_id, name, incarnation, status, silo_endpoint, gateway_endpoint, lease_expires_at, started_at, version, changed_in)
                VALUES (@c, @n, @i, @s, @e, @g, CASE WHEN @renew THEN clock_timestamp() + @lease ELSE @expires END, clock_timestamp(), @v, @changed)
                ON CONFLICT (cluster_id, name) DO UPDATE SET
                    incarnation = excluded.incarnation, status = excluded.status, silo_endpoint = excluded.silo_endpoint,
                    gateway_endpoint = excluded.gateway_endpoint,
                    lease_expires_at = CASE WHEN @renew OR s.incarnation <> excluded.incarnation THEN excluded.lease_expires_at ELSE s.lease_expires_at END,
                    started_at = CASE WHEN s.incarnation <> excluded.incarnation THEN excluded.started_at ELSE s.started_at END,
                    version = excluded.version, changed_in = excluded.changed_in
                """), cancellationToken, ("changed", changedIn), ("c", clusterId), ("n", r.Name), ("i", r.Incarnation), ("s", (short)r.Status), ("e", r.SiloEndpoint),
                ("g", (object?)r.GatewayEndpoint ?? DBNull.Value), ("renew", write.RenewLeaseFor is not null), ("lease", write.RenewLeaseFor ?? TimeSpan.Zero),
                ("expires", r.LeaseExpiresAt), ("v", write.ExpectedVersion + 1));
        }

        foreach (PartitionWrite write in update.Partitions)
        {
            PartitionRecord r = write.Record;
            await Execute(connection, """
                UPDATE actors_partitions SET owner = @o, owner_incarnation = @i, epoch = @e, state = @s, target = @t, version = @v, changed_in = @changed,
                    replicas = @r, in_sync = @is
                WHERE cluster_id = @c AND partition = @p
                """, cancellationToken, ("changed", changedIn), ("c", clusterId), ("p", r.Partition), ("o", (object?)r.Owner ?? DBNull.Value), ("i", r.OwnerIncarnation), ("e", r.Epoch),
                ("s", (short)r.State), ("t", (object?)r.Target ?? DBNull.Value), ("v", write.ExpectedVersion + 1), ("r", r.Replicas.ToArray()), ("is", r.InSync.ToArray()));
        }

        await Execute(connection, "UPDATE actors_cluster SET table_version = table_version + 1 WHERE cluster_id = @c", cancellationToken, ("c", clusterId));
        await transaction.CommitAsync(cancellationToken);
        return true;
    });

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    /// <summary>
    /// Reads a lease condition's silo row and locks it until the update commits. "Lease ended" (a declaration of death)
    /// locks the row FOR UPDATE: a concurrent renewal waits and then finds the row Dead, or commits first and the condition
    /// fails, so the two never both win. "Lease valid" takes FOR KEY SHARE, which a renewal (an update of no key column)
    /// does not wait for: a renewal only moves the lease later, so it cannot break the condition, while status changes
    /// (FOR UPDATE) still wait. Otherwise a transaction kept open by a slow client (a starved silo between two statements)
    /// would hold back the renewals of every silo whose lease it requires, its own first.
    /// </summary>
    internal static string LeaseConditionSql(bool mustBeValid) => $"""
        SELECT incarnation, status IN (1, 2), lease_expires_at > clock_timestamp() FROM actors_silos
        WHERE cluster_id = @c AND name = @n {(mustBeValid ? "FOR KEY SHARE" : "FOR UPDATE")}
        """;

    /// <summary>The statement with this store's clock in place of <c>clock_timestamp()</c>.</summary>
    private string Clocked(string sql) => _clock == DatabaseClock ? sql : sql.Replace(DatabaseClock, _clock, StringComparison.Ordinal);

    private static SiloRecord ReadSilo(NpgsqlDataReader reader) => new(
        reader.GetString(0), reader.GetInt64(1), (SiloStatus)reader.GetInt16(2), reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetString(4),
        reader.GetFieldValue<DateTimeOffset>(5), reader.GetFieldValue<DateTimeOffset>(6), reader.GetInt64(7));

    private static NpgsqlCommand Command(NpgsqlConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = new NpgsqlCommand(sql, connection);
        foreach ((string name, object? value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }

    private static async Task<int> Execute(NpgsqlConnection connection, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using NpgsqlCommand command = Command(connection, sql, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<T> Scalar<T>(NpgsqlConnection connection, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using NpgsqlCommand command = Command(connection, sql, parameters);
        object? value = await command.ExecuteScalarAsync(cancellationToken);
        return value is null or DBNull ? default! : (T)value;
    }

    /// <summary>Turns database failures into <see cref="ClusterStoreException"/> naming the cluster.</summary>
    private static async Task<T> Guard<T>(string clusterId, Func<Task<T>> work)
    {
        try
        {
            return await work();
        }
        catch (NpgsqlException ex)
        {
            throw StoreFailed(clusterId, ex);
        }
    }

    private static ClusterStoreException StoreFailed(string clusterId, NpgsqlException ex)
        => new($"The PostgreSQL cluster store failed for cluster '{clusterId}': {ex.Message}", ex);

    /// <summary>The first row of a renewal: the new lease end (null when not renewed), the store's clock, the table version, the row's status (null when the incarnation's row is gone).</summary>
    private sealed record RenewedRow(DateTimeOffset? Expires, DateTimeOffset Now, long TableVersion, short? Status)
    {
        public LeaseRenewal ToRenewal(List<SiloRecord> expired)
        {
            LeaseRenewalOutcome outcome = Expires is not null ? LeaseRenewalOutcome.Renewed : Status is null ? LeaseRenewalOutcome.NotMember : LeaseRenewalOutcome.DeclaredDead;
            return new LeaseRenewal(outcome, Now, Expires ?? default, TableVersion, expired);
        }
    }
}
