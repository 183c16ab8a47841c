using System.Collections.Concurrent;
using Actors.Wal.Entries;

namespace Actors.Orleans.Clustering.Replication;

/// <summary>
/// The restarts due of this silo's replicas that stopped on a failure or could not start (<see cref="ReplicaRestart"/>,
/// one per partition at most): when each may start again (a back-off that grows with consecutive failures), and where its
/// entry log is cut when it does (after the last entry its failed host had synced, once).
/// </summary>
/// <remarks>Thread-safe. <see cref="SiloReplicas"/> records and clears restarts under its gate.</remarks>
internal sealed class ReplicaRestarts(TimeProvider time)
{
    private readonly ConcurrentDictionary<int, ReplicaRestart> _due = new();

    /// <summary>The restart due of <paramref name="partition"/>'s replica, or null when none is.</summary>
    public ReplicaRestart? Of(int partition) => _due.GetValueOrDefault(partition);

    /// <summary>True while the back-off of <paramref name="restart"/> still runs (false for null).</summary>
    public bool Waits(ReplicaRestart? restart) => restart is not null && time.GetUtcNow() < restart.RetryAt;

    /// <summary>Starting <paramref name="partition"/>'s replica failed (after <paramref name="previous"/>, the restart due then): records and returns the next attempt.</summary>
    public ReplicaRestart StartFailed(ReplicaRestart? previous, int partition, Exception failure)
    {
        DateTimeOffset now = time.GetUtcNow();
        ReplicaRestart next = ReplicaRestart.Next(previous, partition, $"starting it failed: {failure.GetType().Name}: {failure.Message}", null, now, now);
        _due[partition] = next;
        return next;
    }

    /// <summary>
    /// <paramref name="held"/> was stopped for <paramref name="reason"/>, its host having synced up to
    /// <paramref name="durableLsn"/>: records and returns its restart.
    /// </summary>
    public ReplicaRestart Stopped(HeldReplica held, string reason, long? durableLsn)
    {
        ReplicaRestart restart = ReplicaRestart.Next(_due.GetValueOrDefault(held.Partition), held.Partition, reason, durableLsn, held.StartedAt, time.GetUtcNow());
        _due[held.Partition] = restart;
        return restart;
    }

    /// <summary>
    /// Cuts the reopened <paramref name="entries"/> of <paramref name="partition"/>'s replica as its restart says
    /// (<see cref="ReplicaRestart.CutLog"/>); returns the LSN it cut after, or null when it cut nothing.
    /// </summary>
    public long? CutLog(int partition, IEntryLog entries) =>
        _due.TryGetValue(partition, out ReplicaRestart? restart) && restart.CutLog(entries) ? restart.DurableLsn : null;

    /// <summary>
    /// <paramref name="partition"/>'s replica started: its log is cut once only (a later restart cuts where the new host
    /// synced, if it fails); the back-off is kept, so that failing again soon waits longer.
    /// </summary>
    public void Started(int partition)
    {
        if (_due.TryGetValue(partition, out ReplicaRestart? restarted) && restarted.DurableLsn is not null)
        {
            _due[partition] = restarted with { DurableLsn = null };
        }
    }

    /// <summary>Forgets <paramref name="partition"/>'s restart (its replica retired).</summary>
    public void Forget(int partition) => _due.TryRemove(partition, out _);
}
