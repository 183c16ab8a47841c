using Actors.Wal.Entries;

namespace Actors.Replication.Wal;

/// <summary>
/// Reads of committed entries (<see cref="ReplicaHost.ReadCommittedAsync"/>) that wait on the driver loop for the commit
/// offset to reach them: the loop serves them as soon as it does (one hop to the reader, rather than a wake-up, a posted
/// read and its answer).
/// </summary>
/// <remarks>Not thread-safe: the driver loop owns it. A read whose caller gave up (cancelled, or saw the loop end) stays
/// until served; its answer goes nowhere.</remarks>
internal sealed class CommittedReadWaiters
{
    private readonly List<Waiting> _waiting = [];

    /// <summary>Parks a read of up to <paramref name="maxCount"/> entries from <paramref name="fromLsn"/> on.</summary>
    public void Park(long fromLsn, int maxCount, TaskCompletionSource<IReadOnlyList<LoggedEntry>> read) => _waiting.Add(new Waiting(fromLsn, maxCount, read));

    /// <summary>Serves (with <paramref name="serve"/>) and forgets every parked read that the commit offset <paramref name="committed"/> reaches.</summary>
    public void ServeThrough(long committed, Action<long, int, TaskCompletionSource<IReadOnlyList<LoggedEntry>>> serve)
    {
        for (var i = _waiting.Count - 1; i >= 0; i--)
        {
            var waiting = _waiting[i];
            if (waiting.FromLsn <= committed)
            {
                _waiting.RemoveAt(i);
                serve(waiting.FromLsn, waiting.MaxCount, waiting.Read);
            }
        }
    }

    private readonly record struct Waiting(long FromLsn, int MaxCount, TaskCompletionSource<IReadOnlyList<LoggedEntry>> Read);
}
