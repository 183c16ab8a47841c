using Actors.Wal.Entries;

namespace Actors.Replication.Wal;

/// <summary>
/// One sync a <see cref="ReplicaHost"/> requested of its log (<see cref="IEntryLog.RequestSync(Action{object?}, object?)"/>)
/// and the replica's token for it: tells whether the sync completed while it was being requested (the driver loop then
/// reports it at once) or later (the log's callback then posts the report to the loop, with no thread-pool hop between).
/// </summary>
/// <remarks>Thread-safe: the driver loop calls <see cref="Requested"/>, the log's completing thread <see cref="Completed"/>, in either order.</remarks>
internal sealed class PendingLogSync(long token, Action<PendingLogSync> postReport)
{
    private const int Requesting = 0;
    private const int Waiting = 1;
    private const int Done = 2;

    private readonly Action<PendingLogSync> _postReport = postReport;
    private int _state = Requesting;

    /// <summary>The replica's token for the sync.</summary>
    public long Token => token;

    /// <summary>The sync, once requested.</summary>
    public EntryLogSync? Sync { get; private set; }

    /// <summary>The log's callback (pass it with this instance as state): posts the report when the sync completes after <see cref="Requested"/>.</summary>
    public static void Completed(object? state)
    {
        var pending = (PendingLogSync)state!;
        if (Interlocked.Exchange(ref pending._state, Done) == Waiting)
        {
            pending._postReport(pending);
        }
    }

    /// <summary>The request returned <paramref name="sync"/>: true when it completed already (the caller reports it now), false when <see cref="Completed"/> will post the report.</summary>
    public bool Requested(EntryLogSync sync)
    {
        Sync = sync;
        return Interlocked.CompareExchange(ref _state, Waiting, Requesting) == Done;
    }
}
