namespace Actors.Cluster.Membership;

/// <summary>
/// An in-process <see cref="IClusterStore"/>: the same contract as the PostgreSQL store, kept in memory and judged by an
/// injected clock. Share one instance between the silos of a test cluster (or a simulation); it dies with the process.
/// </summary>
/// <remarks>Thread-safe: every call takes one lock, so calls are serializable as the contract requires.</remarks>
public sealed class InMemoryClusterStore : IClusterStore
{
    private readonly object _lock = new();
    private readonly Dictionary<string, Table> _clusters = new(StringComparer.Ordinal);
    private readonly TimeProvider _clock;

    /// <summary>Creates an empty store judged by <paramref name="clock"/> (the system clock when null).</summary>
    public InMemoryClusterStore(TimeProvider? clock = null)
    {
        _clock = clock ?? TimeProvider.System;
    }

    /// <inheritdoc />
    public Task<ClusterSnapshot> InitializeAsync(string clusterId, int partitionCount, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(clusterId);
        ArgumentOutOfRangeException.ThrowIfLessThan(partitionCount, 1);
        lock (_lock)
        {
            if (!_clusters.TryGetValue(clusterId, out Table? table))
            {
                table = new Table(partitionCount);
                for (int p = 0; p < partitionCount; p++)
                {
                    table.Partitions[p] = new PartitionRecord(p, null, 0, 0, PartitionState.Owned, null, 1);
                }

                _clusters[clusterId] = table;
            }

            return Task.FromResult(Snapshot(clusterId, table));
        }
    }

    /// <inheritdoc />
    public Task<ClusterSnapshot> ReadAsync(string clusterId, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(Snapshot(clusterId, Get(clusterId)));
        }
    }

    /// <inheritdoc />
    public Task<ClusterChanges> ReadChangesAsync(string clusterId, long sinceTableVersion, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            Table table = Get(clusterId);
            SiloRecord[] silos = table.Silos.Values
                .Where(s => table.SiloChangedIn[s.Name] > sinceTableVersion)
                .OrderBy(s => s.Name, StringComparer.Ordinal)
                .ToArray();
            PartitionRecord[] partitions = table.Partitions.Where(p => table.PartitionChangedIn[p.Partition] > sinceTableVersion).ToArray();
            return Task.FromResult(new ClusterChanges(clusterId, table.Partitions.Length, sinceTableVersion, table.TableVersion, _clock.GetUtcNow(), silos, partitions));
        }
    }

    /// <inheritdoc />
    public Task<LeaseRenewal> RenewLeaseAsync(string clusterId, string silo, long incarnation, TimeSpan duration, CancellationToken cancellationToken)
        => Task.FromResult(RenewLease(clusterId, silo, incarnation, duration, Timeout.InfiniteTimeSpan));

    /// <inheritdoc />
    public LeaseRenewal RenewLease(string clusterId, string silo, long incarnation, TimeSpan duration, TimeSpan timeout)
    {
        lock (_lock)
        {
            Table table = Get(clusterId);
            DateTimeOffset now = _clock.GetUtcNow();
            LeaseRenewalOutcome outcome;
            DateTimeOffset expires = default;
            if (!table.Silos.TryGetValue(silo, out SiloRecord? row) || row.Incarnation != incarnation)
            {
                outcome = LeaseRenewalOutcome.NotMember;
            }
            else if (!row.IsLive)
            {
                outcome = LeaseRenewalOutcome.DeclaredDead;
            }
            else
            {
                expires = now + duration;
                table.Silos[silo] = row with { LeaseExpiresAt = expires };
                outcome = LeaseRenewalOutcome.Renewed;
            }

            SiloRecord[] expired = table.Silos.Values.Where(s => s.IsLive && s.LeaseExpiresAt <= now).ToArray();
            return new LeaseRenewal(outcome, now, expires, table.TableVersion, expired);
        }
    }

    /// <inheritdoc />
    public Task<bool> TryApplyAsync(string clusterId, ClusterUpdate update, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(update);
        lock (_lock)
        {
            Table table = Get(clusterId);
            DateTimeOffset now = _clock.GetUtcNow();
            foreach (LeaseCondition condition in update.Leases)
            {
                if (!table.Silos.TryGetValue(condition.Silo, out SiloRecord? row) || row.Incarnation != condition.Incarnation)
                {
                    return Task.FromResult(false);
                }

                bool valid = row.IsLive && row.LeaseExpiresAt > now;
                bool expired = row.LeaseExpiresAt <= now;
                if (condition.MustBeValid ? !valid : !expired)
                {
                    return Task.FromResult(false);
                }
            }

            foreach (SiloWrite write in update.Silos)
            {
                long current = table.Silos.TryGetValue(write.Record.Name, out SiloRecord? row) ? row.Version : 0;
                if (current != write.ExpectedVersion)
                {
                    return Task.FromResult(false);
                }
            }

            foreach (PartitionWrite write in update.Partitions)
            {
                int p = write.Record.Partition;
                if (p < 0 || p >= table.Partitions.Length || table.Partitions[p].Version != write.ExpectedVersion)
                {
                    return Task.FromResult(false);
                }
            }

            foreach (SiloWrite write in update.Silos)
            {
                table.Silos.TryGetValue(write.Record.Name, out SiloRecord? previous);
                SiloRecord next = write.Record with { Version = write.ExpectedVersion + 1 };
                if (write.RenewLeaseFor is { } lease)
                {
                    next = next with { LeaseExpiresAt = now + lease };
                    if (previous is null || previous.Incarnation != next.Incarnation)
                    {
                        next = next with { StartedAt = now };
                    }
                }
                else if (previous is not null && previous.Incarnation == next.Incarnation)
                {
                    // Only renewals move a lease: a status change written from an older read keeps the stored expiry.
                    next = next with { LeaseExpiresAt = previous.LeaseExpiresAt };
                }

                table.Silos[next.Name] = next;
                table.SiloChangedIn[next.Name] = table.TableVersion + 1;
            }

            foreach (PartitionWrite write in update.Partitions)
            {
                table.Partitions[write.Record.Partition] = write.Record with { Version = write.ExpectedVersion + 1 };
                table.PartitionChangedIn[write.Record.Partition] = table.TableVersion + 1;
            }

            table.TableVersion++;
            return Task.FromResult(true);
        }
    }

    private Table Get(string clusterId) => _clusters.TryGetValue(clusterId, out Table? table)
        ? table
        : throw new ClusterStoreException($"Cluster '{clusterId}' does not exist in the in-memory cluster store (InitializeAsync creates it).");

    private ClusterSnapshot Snapshot(string clusterId, Table table) => new(
        clusterId,
        table.Partitions.Length,
        table.TableVersion,
        _clock.GetUtcNow(),
        table.Silos.Values.OrderBy(s => s.Name, StringComparer.Ordinal).ToArray(),
        [.. table.Partitions]);

    private sealed class Table(int partitionCount)
    {
        public long TableVersion { get; set; } = 1;

        public Dictionary<string, SiloRecord> Silos { get; } = new(StringComparer.Ordinal);

        public PartitionRecord[] Partitions { get; } = new PartitionRecord[partitionCount];

        /// <summary>The table version whose update last wrote each silo row (the key of <see cref="ReadChangesAsync"/>).</summary>
        public Dictionary<string, long> SiloChangedIn { get; } = new(StringComparer.Ordinal);

        /// <summary>The table version whose update last wrote each partition row (1: created with the cluster).</summary>
        public long[] PartitionChangedIn { get; } = Enumerable.Repeat(1L, partitionCount).ToArray();
    }
}
