using Actors.Cluster.Partitioning;
using Actors.Wal.Entries;

namespace Actors.Cluster.Replication;

/// <summary>
/// This silo's replica of a partition stopped on a failure (its host failed: a write, fsync or protocol invariant; or the
/// partition could not be opened here for good while the replica ran) and is started again once <see cref="RetryAt"/> has
/// passed, as a fresh replica over the same entry log (<see cref="PartitionReplicas"/>).
/// </summary>
/// <param name="Partition">The partition.</param>
/// <param name="Failures">Consecutive failures: 1, or one more than the previous when the replica failed again within the longest delay of its start.</param>
/// <param name="Reason">Why the replica was stopped.</param>
/// <param name="RetryAt">The earliest time the replica is started again: the first delay, doubled per consecutive failure up to the longest.</param>
/// <param name="DurableLsn">
/// The last entry the failed host's log had synced: the restarted log keeps no entry after it (whatever a reopened log reads
/// beyond it may be page cache the disk never took, as after a failed fsync; dropping an unsynced tail is what a crash
/// does, which the protocol allows). Null when the host had not failed (nothing is cut).
/// </param>
internal sealed record ReplicaRestart(int Partition, int Failures, string Reason, DateTimeOffset RetryAt, long? DurableLsn)
{
    /// <summary>
    /// Cuts the reopened <paramref name="entries"/> after <see cref="DurableLsn"/> (durably, before the replica runs on it):
    /// <see cref="RestartCut.Cut"/>; <see cref="RestartCut.None"/> when there is no durable LSN or nothing beyond it;
    /// <see cref="RestartCut.BelowCheckpoint"/> when the log's durable checkpoint lies above it (nothing is removed: a
    /// checkpoint is durable when installed).
    /// </summary>
    public RestartCut CutLog(IEntryLog entries)
    {
        if (DurableLsn is not { } durable || entries.EndLsn <= durable)
        {
            return RestartCut.None;
        }

        if (durable < entries.StartLsn)
        {
            return RestartCut.BelowCheckpoint;
        }

        entries.TruncateAfter(durable);
        return RestartCut.Cut;
    }

    /// <summary>The restart after a replica started at <paramref name="startedAt"/> stopped at <paramref name="now"/>.</summary>
    public static ReplicaRestart Next(
        ReplicaRestart? previous, int partition, string reason, long? durableLsn, DateTimeOffset startedAt, DateTimeOffset now, TimeSpan firstDelay, TimeSpan maxDelay)
    {
        int failures = previous is { } last && now - startedAt < maxDelay ? last.Failures + 1 : 1;
        return new ReplicaRestart(partition, failures, reason, now + DoublingBackOff.Delay(failures, firstDelay, maxDelay), durableLsn);
    }
}

/// <summary>What <see cref="ReplicaRestart.CutLog"/> did to a restarted replica's entry log.</summary>
internal enum RestartCut
{
    /// <summary>Nothing to cut: no failed host's durable LSN, or the log ends at or before it.</summary>
    None,

    /// <summary>The entries after the failed host's durable LSN were removed.</summary>
    Cut,

    /// <summary>The log's checkpoint lies above the failed host's durable LSN: nothing removed.</summary>
    BelowCheckpoint,
}
