using Actors.Cluster.Membership;
using Microsoft.Extensions.Logging;

namespace Actors.Cluster.Partitioning;

/// <summary>Partitions moving in and out: a transfer installed here, a transfer's check against the table, a graceful leave's wait.</summary>
internal sealed partial class PartitionOwnershipAgent
{
    /// <summary>Marks a partition whose transfer was installed here.</summary>
    public void OnInstalled(int partition)
    {
        SetState(partition, LocalPartitionState.Installed, 0);
        Nudge();
    }

    /// <summary>Whether a transfer of <paramref name="begin"/>'s partition to this silo is what the table expects; null if so, else the reason.</summary>
    public async Task<string?> CheckTransferAsync(TransferBegin begin, CancellationToken cancellationToken)
    {
        ClusterSnapshot snapshot = await _membership.RefreshAsync(cancellationToken);
        if (begin.Partition < 0 || begin.Partition >= snapshot.PartitionCount)
        {
            return $"partition {begin.Partition} does not exist";
        }

        PartitionRecord row = snapshot.Partitions[begin.Partition];
        if (row.State != PartitionState.Moving || !string.Equals(row.Target, _membership.Name, StringComparison.Ordinal) || !string.Equals(row.Owner, begin.Source, StringComparison.Ordinal))
        {
            return $"the table says {row}, not a move from '{begin.Source}' to '{_membership.Name}'";
        }

        (LocalPartitionState state, _) = StateOf(begin.Partition);
        return state is LocalPartitionState.Serving or LocalPartitionState.Opening or LocalPartitionState.HandingOff
            ? $"this silo still serves partition {begin.Partition}"
            : null;
    }

    /// <summary>
    /// Completes when this silo owns no partition it could hand to an Active silo (graceful leave), or when
    /// <paramref name="cancellationToken"/> fires. A partition lost here (its open failed for good, or its data is missing)
    /// cannot be handed off: the leave does not wait for it (it stays owned by this silo, whose restart opens it again, and a
    /// warning names it), so a silo holding a damaged partition still leaves at once instead of after its whole grace period.
    /// </summary>
    public async Task WaitUntilHandedOffAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            Task changed = _membership.Changed.Next;
            ClusterSnapshot snapshot = await _membership.RefreshAsync(cancellationToken);
            bool anyTarget = snapshot.Silos.Any(s => s.Status == SiloStatus.Active && !string.Equals(s.Name, _membership.Name, StringComparison.Ordinal));
            // A replicated partition is not handed off: its in-sync followers take it over when this silo has left.
            var owned = snapshot.Partitions.Where(p => !p.IsReplicated && string.Equals(p.Owner, _membership.Name, StringComparison.Ordinal)).ToList();
            var lost = owned.Where(p => StateOf(p.Partition).State == LocalPartitionState.Lost).Select(p => p.Partition).ToList();
            if (!anyTarget || owned.Count == lost.Count)
            {
                if (anyTarget && lost.Count > 0)
                {
                    LogLeavingWithLostPartitions(_logger, _membership.Name, string.Join(",", lost));
                }

                return;
            }

            await Task.WhenAny(changed, Task.Delay(_options.LeaseRenewPeriod, _time, cancellationToken));
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    [LoggerMessage(EventId = 4410, Level = LogLevel.Warning, Message = "Silo {Silo} leaves still owning partitions {Partitions}: they are lost here (their open failed for good or their data is missing) and cannot be handed off; they stay unavailable until this silo restarts and opens them")]
    private static partial void LogLeavingWithLostPartitions(ILogger logger, string silo, string partitions);
}
