using Actors.Wal.Entries;

namespace Actors.Replication.Wal;

/// <summary>
/// Reads of committed entries (<see cref="ReplicaHost.ReadCommittedAsync"/>) that wait for the commit offset to reach
/// them: a reader parks here from its own thread, without waking the driver loop, and the loop serves every parked read
/// its commit offset reaches when it publishes (one hop to the reader per served read, and none to park it).
/// </summary>
/// <remarks>
/// Thread-safe: readers call <see cref="TryPark"/> from any thread, the driver loop alone calls <see cref="ServeThrough"/>.
/// No lost wake-up: a read parks only while the commit offset last published (under the same lock) lies below it, so
/// the publication that reaches it finds it parked. A read whose caller gave up (cancelled, or saw the loop end) stays
/// until served; its answer goes nowhere.
/// </remarks>
internal sealed class CommittedReadWaiters
{
    private readonly Lock _gate = new();
    private readonly List<Waiting> _waiting = [];
    private readonly List<Waiting> _due = [];
    private long _published;

    /// <summary>
    /// Parks a read of up to <paramref name="maxCount"/> entries from <paramref name="fromLsn"/> on, unless the commit
    /// offset last published reaches it already: then false, and the caller has the driver loop read the entries.
    /// </summary>
    public bool TryPark(long fromLsn, int maxCount, TaskCompletionSource<IReadOnlyList<LoggedEntry>> read)
    {
        lock (_gate)
        {
            if (fromLsn <= _published)
            {
                return false;
            }

            _waiting.Add(new Waiting(fromLsn, maxCount, read));
            return true;
        }
    }

    /// <summary>
    /// Driver loop only: publishes the commit offset <paramref name="committed"/> and serves (with <paramref name="serve"/>,
    /// outside the lock) and forgets every parked read it reaches.
    /// </summary>
    public void ServeThrough(long committed, Action<long, int, TaskCompletionSource<IReadOnlyList<LoggedEntry>>> serve)
    {
        var due = _due;
        lock (_gate)
        {
            _published = Math.Max(_published, committed);
            for (var i = _waiting.Count - 1; i >= 0; i--)
            {
                if (_waiting[i].FromLsn <= _published)
                {
                    due.Add(_waiting[i]);
                    _waiting.RemoveAt(i);
                }
            }
        }

        foreach (var waiting in due)
        {
            serve(waiting.FromLsn, waiting.MaxCount, waiting.Read);
        }

        due.Clear();
    }

    private readonly record struct Waiting(long FromLsn, int MaxCount, TaskCompletionSource<IReadOnlyList<LoggedEntry>> Read);
}
