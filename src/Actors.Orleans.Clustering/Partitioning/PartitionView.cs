using System.Collections.Immutable;
using Actors.Orleans.Clustering.Diagnostics;
using Actors.Orleans.Clustering.Storage;
using Actors.Replication;
using Actors.Replication.Configuration;

namespace Actors.Orleans.Clustering.Partitioning;

/// <summary>
/// This silo's cached view of the cluster's partition rows and replica addresses: read from PostgreSQL when a look-up
/// misses or names a silo that is not active, when placement finds it older than <see cref="PlacementMaxAge"/>, and
/// updated by the writes this silo makes. Only placement reads it: a stale view costs a refused call, never a stale read
/// (storage calls check leadership themselves), and its age bounds how long placement keeps choosing a former leader that
/// is still active (whose refusals this silo does not see).
/// </summary>
/// <remarks>Thread-safe: readers see one immutable snapshot; refreshes are serialized and coalesced (a caller whose miss
/// began before a refresh completed uses that refresh).</remarks>
internal sealed class PartitionView(ClusterReplica replica, TimeProvider? time = null)
{
    /// <summary>How old the view may be before placement reads every row again: the longest a grain keeps being placed on
    /// a silo whose leadership another silo took (each such call refused, retryable).</summary>
    public static readonly TimeSpan PlacementMaxAge = TimeSpan.FromSeconds(1);

    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly SemaphoreSlim _refresh = new(1, 1);
    private readonly SemaphoreSlim _claiming = new(1, 1);
    private readonly object _publish = new();
    private Snapshot _snapshot = new(ImmutableDictionary<int, PartitionRow>.Empty, ImmutableDictionary<int, string>.Empty);
    private long _refreshes;
    private long _refreshedAt;

    /// <summary>The cached row of <paramref name="partition"/>, or null when none is known.</summary>
    public PartitionRow? Row(int partition) => Volatile.Read(ref _snapshot).Rows.TryGetValue(partition, out PartitionRow row) ? row : null;

    /// <summary>The Orleans address (parsable form) of the silo serving <paramref name="replicaId"/>, or null.</summary>
    public string? AddressOf(int replicaId) => Volatile.Read(ref _snapshot).Replicas.TryGetValue(replicaId, out string? address) ? address : null;

    /// <summary>Every known replica and its silo's address.</summary>
    public IReadOnlyDictionary<int, string> Replicas => Volatile.Read(ref _snapshot).Replicas;

    /// <summary>Reads every row and replica again (unless a refresh completed since <paramref name="seen"/>).</summary>
    public async Task RefreshAsync(long seen, CancellationToken cancellationToken = default)
    {
        await _refresh.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (Interlocked.Read(ref _refreshes) != seen)
            {
                return;
            }

            Dictionary<int, PartitionRow> rows = await replica.Catalog.ReadPartitionsAsync(cancellationToken).ConfigureAwait(false);
            Dictionary<int, string> replicas = await replica.Catalog.ReadReplicasAsync(cancellationToken).ConfigureAwait(false);
            lock (_publish)
            {
                Volatile.Write(ref _snapshot, new Snapshot(rows.ToImmutableDictionary(), replicas.ToImmutableDictionary()));
            }

            Volatile.Write(ref _refreshedAt, _time.GetTimestamp());
            Interlocked.Increment(ref _refreshes);
        }
        finally
        {
            _refresh.Release();
        }
    }

    /// <summary>Whether the last refresh from PostgreSQL is older than <paramref name="age"/> (or none was made).</summary>
    public bool IsOlderThan(TimeSpan age) => Refreshes == 0 || _time.GetElapsedTime(Volatile.Read(ref _refreshedAt)) > age;

    /// <summary>The refresh count, to pass to <see cref="RefreshAsync"/> after a miss.</summary>
    public long Refreshes => Interlocked.Read(ref _refreshes);

    /// <summary>
    /// Makes <paramref name="leader"/> the first leader of <paramref name="partition"/>, with <paramref name="replicas"/>
    /// (which hold the leader) its replicas, unless the partition has a row
    /// already (the existing row wins: several silos placing the same new partition at once agree); returns the row.
    /// </summary>
    /// <remarks>Claims are made one at a time (with refreshes and epoch changes, a silo uses few PostgreSQL connections
    /// however many activations are placed at once); a claim for a partition the view learned meanwhile is not made.</remarks>
    public async Task<PartitionRow> ClaimAsync(int partition, int leader, IReadOnlyCollection<int> replicas, CancellationToken cancellationToken = default)
    {
        await _claiming.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (Row(partition) is { } known)
            {
                return known;
            }

            ReplicaConfiguration stored = await replica.Catalog.Partition(partition)
                .InitializeAsync(ReplicaConfiguration.Initial(new ReplicaId(leader), replicas.Select(r => new ReplicaId(r))), cancellationToken).ConfigureAwait(false);
            var row = PartitionRow.Of(partition, stored);
            if (stored.Version == 1 && stored.Leader.Value == leader)
            {
                ClusteringInstruments.PartitionClaimed();
            }

            Publish(row);
            return row;
        }
        finally
        {
            _claiming.Release();
        }
    }

    /// <summary>Records a row this silo read or wrote (a newer version replaces an older one only).</summary>
    public void Publish(PartitionRow row)
    {
        lock (_publish)
        {
            Snapshot current = _snapshot;
            if (current.Rows.TryGetValue(row.Partition, out PartitionRow known) && known.Version >= row.Version)
            {
                return;
            }

            Volatile.Write(ref _snapshot, current with { Rows = current.Rows.SetItem(row.Partition, row) });
        }
    }

    private sealed record Snapshot(ImmutableDictionary<int, PartitionRow> Rows, ImmutableDictionary<int, string> Replicas);
}
