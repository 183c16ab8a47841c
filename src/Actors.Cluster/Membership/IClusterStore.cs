namespace Actors.Cluster.Membership;

/// <summary>
/// Where a cluster's one consensus decision lives: the membership table (silos, their status and leases) and the
/// partition table (owners and epochs), changed only by conditional updates judged by the store's own clock. Silos
/// never elect among themselves: whatever this store accepted is what happened.
/// </summary>
/// <remarks>
/// <para>
/// Implementations: <c>PostgreSqlClusterStore</c> (production) and <see cref="InMemoryClusterStore"/> (test clusters and
/// the simulator); both pass the same conformance scenarios (<c>ClusterStoreConformance</c>).
/// </para>
/// <para>
/// Contract: <see cref="TryApplyAsync"/> is atomic and serializable with every other call on the same cluster; reads
/// are consistent snapshots. All times are the store's clock. Thread-safe.
/// </para>
/// </remarks>
public interface IClusterStore
{
    /// <summary>
    /// Creates the cluster's tables and rows if they do not exist (partitions unassigned), migrating the schema when
    /// needed, and returns the table. An existing cluster keeps the partition count it was created with.
    /// </summary>
    /// <param name="clusterId">The cluster.</param>
    /// <param name="partitionCount">The partition count for a new cluster (at least 1).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<ClusterSnapshot> InitializeAsync(string clusterId, int partitionCount, CancellationToken cancellationToken);

    /// <summary>Reads the whole table as one snapshot.</summary>
    /// <exception cref="ClusterStoreException">The cluster does not exist or the store failed.</exception>
    Task<ClusterSnapshot> ReadAsync(string clusterId, CancellationToken cancellationToken);

    /// <summary>
    /// Reads, as one consistent snapshot, the rows changed by the updates after table version
    /// <paramref name="sinceTableVersion"/> (rows are never deleted, so the changes and an earlier snapshot make the
    /// current table: <see cref="ClusterSnapshot.Apply(ClusterChanges)"/>). Costs the changed rows, not the table.
    /// </summary>
    /// <remarks>
    /// Lease renewals are not changes (they do not move the table version): the lease values of rows in the changes are
    /// current, those of unchanged rows are whatever the reader read before. A <paramref name="sinceTableVersion"/> at or
    /// above the current version returns no rows and the current version.
    /// </remarks>
    /// <exception cref="ClusterStoreException">The cluster does not exist or the store failed.</exception>
    Task<ClusterChanges> ReadChangesAsync(string clusterId, long sinceTableVersion, CancellationToken cancellationToken);

    /// <summary>
    /// Extends the lease of <paramref name="silo"/>'s <paramref name="incarnation"/> to the store's clock plus
    /// <paramref name="duration"/> if its row has that incarnation and a live status (even if the lease already ended:
    /// nobody acts on an ended lease without first declaring the silo dead, which this renewal then beats or loses to).
    /// Does not change the table version. Also returns the table version and the live silos whose lease has ended.
    /// </summary>
    Task<LeaseRenewal> RenewLeaseAsync(string clusterId, string silo, long incarnation, TimeSpan duration, CancellationToken cancellationToken);

    /// <summary>
    /// <see cref="RenewLeaseAsync"/> on the calling thread: a silo renews from a thread of its own, so that a thread pool
    /// starved by the silo's work (or by CPU starvation) cannot hold its renewals back (docs/cluster.md). An implementation
    /// should do its I/O synchronously and queue no thread-pool work on the path; this default blocks on
    /// <see cref="RenewLeaseAsync"/>, which needs the thread pool unless it completes synchronously.
    /// </summary>
    /// <param name="clusterId">The cluster.</param>
    /// <param name="silo">The silo's name.</param>
    /// <param name="incarnation">The incarnation whose lease is renewed.</param>
    /// <param name="duration">The new lease, from the store's clock.</param>
    /// <param name="timeout">How long the renewal may take before it fails with <see cref="TimeoutException"/>.</param>
    /// <exception cref="TimeoutException">No outcome within <paramref name="timeout"/>.</exception>
    /// <exception cref="ClusterStoreException">The store failed.</exception>
    LeaseRenewal RenewLease(string clusterId, string silo, long incarnation, TimeSpan duration, TimeSpan timeout)
    {
        Task<LeaseRenewal> renewal = RenewLeaseAsync(clusterId, silo, incarnation, duration, CancellationToken.None);
        if (!((IAsyncResult)renewal).AsyncWaitHandle.WaitOne(timeout))
        {
            throw new TimeoutException($"The lease renewal of silo '{silo}' in cluster '{clusterId}' took more than {timeout}.");
        }

        return renewal.GetAwaiter().GetResult();
    }

    /// <summary>Applies <paramref name="update"/> if every expected version and lease condition holds; returns whether it did.</summary>
    Task<bool> TryApplyAsync(string clusterId, ClusterUpdate update, CancellationToken cancellationToken);
}
