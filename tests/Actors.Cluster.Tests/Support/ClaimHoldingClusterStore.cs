using System.Collections.Concurrent;

namespace Actors.Cluster.Tests.Support;

/// <summary>
/// A cluster store that holds chosen claims: a claim (a partition row written to a silo on condition of that silo's lease
/// alone, as a claim or re-claim is; a grant also requires the giver's lease) waits until the test releases it, and is
/// then passed on to the inner store as it was sent (so one made on a stale view fails on the row's version).
/// </summary>
public sealed class ClaimHoldingClusterStore(IClusterStore inner) : IClusterStore
{
    private readonly ConcurrentDictionary<(int Partition, string Silo), Hold> _holds = new();

    /// <summary>Holds the next claim of <paramref name="partition"/> by <paramref name="silo"/>.</summary>
    public Hold HoldClaim(int partition, string silo) => _holds[(partition, silo)] = new Hold();

    public Task<ClusterSnapshot> InitializeAsync(string clusterId, int partitionCount, CancellationToken cancellationToken)
        => inner.InitializeAsync(clusterId, partitionCount, cancellationToken);

    public Task<ClusterSnapshot> ReadAsync(string clusterId, CancellationToken cancellationToken) => inner.ReadAsync(clusterId, cancellationToken);

    public Task<ClusterChanges> ReadChangesAsync(string clusterId, long sinceTableVersion, CancellationToken cancellationToken)
        => inner.ReadChangesAsync(clusterId, sinceTableVersion, cancellationToken);

    public Task<LeaseRenewal> RenewLeaseAsync(string clusterId, string silo, long incarnation, TimeSpan duration, CancellationToken cancellationToken)
        => inner.RenewLeaseAsync(clusterId, silo, incarnation, duration, cancellationToken);

    public LeaseRenewal RenewLease(string clusterId, string silo, long incarnation, TimeSpan duration, TimeSpan timeout)
        => inner.RenewLease(clusterId, silo, incarnation, duration, timeout);

    public async Task<bool> TryApplyAsync(string clusterId, ClusterUpdate update, CancellationToken cancellationToken)
    {
        if (update.Leases is [{ } lease] && update.Partitions is [{ Record: { Owner: { } owner } row }]
            && owner == lease.Silo && _holds.TryRemove((row.Partition, owner), out Hold? hold))
        {
            hold.Reached();
            await hold.Released.WaitAsync(cancellationToken);
        }

        return await inner.TryApplyAsync(clusterId, update, cancellationToken);
    }

    /// <summary>One held claim: <see cref="Arrived"/> completes when it reaches the store, <see cref="Release"/> lets it through.</summary>
    public sealed class Hold
    {
        private readonly TaskCompletionSource _arrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Arrived => _arrived.Task;

        internal Task Released => _released.Task;

        public void Release() => _released.TrySetResult();

        internal void Reached() => _arrived.TrySetResult();
    }
}
