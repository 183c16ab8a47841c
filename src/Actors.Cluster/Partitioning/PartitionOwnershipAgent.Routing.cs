using Actors.Cluster.Membership;

namespace Actors.Cluster.Partitioning;

/// <summary>Where this silo sends the calls for each partition.</summary>
internal sealed partial class PartitionOwnershipAgent
{
    /// <summary>Where calls for <paramref name="partition"/> go from this silo, given the latest snapshot.</summary>
    public PartitionRoute Route(int partition)
    {
        ClusterSnapshot? snapshot = _membership.Current;
        // A silo that left (its lease is revoked as its host stops, while its gateway still drains) serves nothing itself
        // but forwards with its last view, whose owners it handed its partitions to; waiting would hold those calls until
        // the gateway's drain deadline cut them.
        bool forwardOnly = !_membership.Lease.IsValid;
        bool left = snapshot?.FindSilo(_membership.Name) is { Status: SiloStatus.Left } self && self.Incarnation == _membership.Incarnation;
        if (snapshot is null || (forwardOnly && !left))
        {
            return new PartitionRoute(PartitionRouteKind.Wait, null, 0, "this silo's lease is not valid");
        }

        PartitionRecord row = snapshot.Partitions[partition];
        (LocalPartitionState state, long epoch) = forwardOnly ? (LocalPartitionState.None, 0L) : StateOf(partition);
        switch (state)
        {
            case LocalPartitionState.Serving when (row.IsReplicated || _replicas.StatusOf(partition) is not null) && !_replicas.HoldsReadLease(partition):
                // A replicated partition is served from this silo's state only under its replica's read lease: without
                // it a successor may already have acknowledged writes this silo's grains have not seen (a stale read).
                // The lease comes back with the followers' next echoes, or the row soon names the successor.
                return new PartitionRoute(PartitionRouteKind.WaitForReadLease, _membership.Name, epoch,
                    "this silo's replica of the partition does not hold its read lease (another replica may be taking over)");
            case LocalPartitionState.Serving:
                return new PartitionRoute(PartitionRouteKind.Local, _membership.Name, epoch, null);
            case LocalPartitionState.HandingOff or LocalPartitionState.Opening:
                return new PartitionRoute(PartitionRouteKind.Wait, _membership.Name, epoch, "the partition is changing hands");
            case LocalPartitionState.Lost when string.Equals(row.Owner, _membership.Name, StringComparison.Ordinal):
                // Only while the row names this silo: once another replica took over, the call goes there.
                return new PartitionRoute(PartitionRouteKind.Unavailable, _membership.Name, 0, LostReason(partition));
        }

        if (row.Owner is null)
        {
            return new PartitionRoute(PartitionRouteKind.Wait, null, 0, "the partition has no owner yet");
        }

        if (string.Equals(row.Owner, _membership.Name, StringComparison.Ordinal))
        {
            // Granted here (or owned by this silo's previous incarnation) and not opened yet: the reconcile opens it.
            return new PartitionRoute(PartitionRouteKind.Wait, row.Owner, 0, OpeningReason(partition, row.Epoch));
        }

        SiloRecord? owner = snapshot.FindSilo(row.Owner);
        if ((owner is null || !owner.IsLive) && row.IsReplicated)
        {
            return new PartitionRoute(PartitionRouteKind.Wait, row.Owner, 0, $"its owner '{row.Owner}' is not live; an in-sync replica ({string.Join(", ", row.InSync)}) takes over");
        }

        if (owner is null || !owner.IsLive)
        {
            string status = owner is null ? "unknown" : owner.Status.ToString().ToLowerInvariant();
            return new PartitionRoute(PartitionRouteKind.Unavailable, row.Owner, 0, $"its owner '{row.Owner}' is {status} and no other silo holds its log; it serves again when '{row.Owner}' restarts on its volume");
        }

        if (owner.Incarnation != row.OwnerIncarnation)
        {
            return new PartitionRoute(PartitionRouteKind.Wait, row.Owner, 0, $"'{row.Owner}' restarted and has not re-claimed the partition yet");
        }

        return new PartitionRoute(PartitionRouteKind.Forward, row.Owner, 0, null);
    }

    /// <summary>Completes once this silo's replica of <paramref name="partition"/> holds its read lease (or stops); null when it holds none.</summary>
    public Task? WaitForReadLeaseAsync(int partition) => _replicas.WaitForReadLeaseAsync(partition);
}
