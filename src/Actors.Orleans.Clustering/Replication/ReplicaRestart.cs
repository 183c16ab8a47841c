using Actors.Wal.Entries;

namespace Actors.Orleans.Clustering.Replication;

/// <summary>
/// This silo's replica of a partition stopped on a failure (its host failed: a write, fsync or protocol invariant; or it
/// could not be started) and is started again once <see cref="RetryAt"/> has passed, as a fresh replica over the same
/// entry log (<see cref="SiloReplicas"/>).
/// </summary>
/// <param name="Partition">The partition.</param>
/// <param name="Failures">Consecutive failures: 1, or one more than the previous when the replica failed again within the longest delay of its start.</param>
/// <param name="Reason">Why the replica was stopped.</param>
/// <param name="RetryAt">The earliest time the replica is started again: <see cref="FirstDelay"/>, doubled per consecutive failure up to <see cref="MaxDelay"/>.</param>
/// <param name="DurableLsn">
/// The last entry the failed host's log had synced: the restarted log keeps no entry after it (what a reopened log reads
/// beyond it may be page cache the disk never took, as after a failed fsync; dropping an unsynced tail is what a crash
/// does, which the protocol allows). Null when the host had not failed (nothing is cut).
/// </param>
internal sealed record ReplicaRestart(int Partition, int Failures, string Reason, DateTimeOffset RetryAt, long? DurableLsn)
{
    /// <summary>The first delay before a stopped replica starts again.</summary>
    public static readonly TimeSpan FirstDelay = TimeSpan.FromSeconds(1);

    /// <summary>The longest delay before a stopped replica starts again.</summary>
    public static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Cuts the reopened <paramref name="entries"/> after <see cref="DurableLsn"/> (durably, before the replica runs on it);
    /// true when it cut. Nothing is removed when there is no durable LSN, nothing beyond it, or the log's durable
    /// checkpoint lies above it (a checkpoint is durable when installed).
    /// </summary>
    public bool CutLog(IEntryLog entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        if (DurableLsn is not { } durable || entries.EndLsn <= durable || durable < entries.StartLsn)
        {
            return false;
        }

        entries.TruncateAfter(durable);
        return true;
    }

    /// <summary>The restart after a replica started at <paramref name="startedAt"/> stopped at <paramref name="now"/>.</summary>
    public static ReplicaRestart Next(ReplicaRestart? previous, int partition, string reason, long? durableLsn, DateTimeOffset startedAt, DateTimeOffset now)
    {
        int failures = previous is { } last && now - startedAt < MaxDelay ? last.Failures + 1 : 1;
        double delay = Math.Min(MaxDelay.TotalMilliseconds, FirstDelay.TotalMilliseconds * Math.Pow(2, Math.Min(failures - 1, 16)));
        return new ReplicaRestart(partition, failures, reason, now + TimeSpan.FromMilliseconds(delay), durableLsn ?? previous?.DurableLsn);
    }
}
