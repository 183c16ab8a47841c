namespace Actors.Wal.Entries;

/// <summary>
/// A sync requested with <see cref="IEntryLog.RequestSync()"/>: once <see cref="Completion"/> has completed, the owner calls
/// <see cref="IEntryLog.CompleteSync"/> on its own thread, and the entries up to <see cref="Lsn"/> count as durable (unless
/// the log was truncated or replaced since the request: a truncation is durable on its own).
/// </summary>
public sealed class EntryLogSync
{
    internal EntryLogSync(long lsn, long truncations, Task completion)
    {
        Lsn = lsn;
        Truncations = truncations;
        Completion = completion;
    }

    /// <summary>The log's end when the sync was requested: what it makes durable.</summary>
    public long Lsn { get; }

    /// <summary>Completes when the entries up to <see cref="Lsn"/> are on stable storage; faults with <see cref="LogFailedException"/> when the log failed first.</summary>
    public Task Completion { get; }

    /// <summary>The log's count of truncations and installs when the sync was requested.</summary>
    internal long Truncations { get; }
}
