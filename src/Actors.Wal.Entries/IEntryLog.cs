namespace Actors.Wal.Entries;

/// <summary>
/// What a replicated log needs of its disk, whatever the layout: a durable log of opaque entries at consecutive LSNs,
/// each stamped with an epoch; appends at a given LSN, durable truncation of a divergent tail, reads from an LSN, a
/// durably recorded entered epoch, and checkpoints that replace a prefix of the log or the whole of it. Implemented by
/// <see cref="EntryLog"/> (files of its own per log: a sync is one fsync of them, made at once) and
/// <see cref="Journal.JournaledEntryLog"/> (records in a journal shared by many logs: syncs are group commits that
/// complete later).
/// </summary>
/// <remarks>
/// <para>Positions: <see cref="EndLsn"/> is written, <see cref="DurableLsn"/> synced. <see cref="Append"/> does not sync;
/// <see cref="RequestSync()"/> asks for everything written so far to become durable and returns at once (the owner calls
/// <see cref="CompleteSync"/> when its completion has completed); <see cref="Sync"/> does both and waits.
/// <see cref="TruncateAfter"/>, <see cref="PersistEpoch"/>, <see cref="InstallCheckpoint"/> and <see cref="DeletePrefix"/>
/// are durable when they return.</para>
/// <para>Crash guarantees: every synced entry survives, plus a prefix of the unsynced ones; no entry removed by a
/// completed truncation comes back.</para>
/// <para>Errors: an I/O error fails the log (<see cref="LogFailedException"/>, never retried) until it is reopened.
/// Not thread-safe: one owner calls it.</para>
/// </remarks>
public interface IEntryLog : IDisposable
{
    /// <summary>The directory of the log's own files (its entered epoch and checkpoint, and for an <see cref="EntryLog"/> its entries).</summary>
    string Directory { get; }

    /// <summary>The LSN of the last entry written (<see cref="StartLsn"/> when none after the checkpoint).</summary>
    long EndLsn { get; }

    /// <summary>Entries up to here are replaced by <see cref="Checkpoint"/> (0 when there is none).</summary>
    long StartLsn { get; }

    /// <summary>The durable checkpoint the log starts at (<see cref="EntryLogCheckpoint.None"/> when it starts at LSN 1).</summary>
    EntryLogCheckpoint Checkpoint { get; }

    /// <summary>The LSN up to which every entry is known synced.</summary>
    long DurableLsn { get; }

    /// <summary>The epoch of the last entry (the checkpoint's when there is none; 0 when empty).</summary>
    long LastEpoch { get; }

    /// <summary>The last epoch recorded with <see cref="PersistEpoch"/> (0 if never).</summary>
    long EnteredEpoch { get; }

    /// <summary>Bytes of torn tail opening cut from this log's own files (a journaled log reports 0: its journal reports them).</summary>
    long TornBytesCutAtOpen { get; }

    /// <summary>The epoch of entry <paramref name="lsn"/> (the checkpoint's at <see cref="StartLsn"/>).</summary>
    long EpochAt(long lsn);

    /// <summary>Writes <paramref name="entries"/> (consecutive LSNs from <see cref="EndLsn"/> + 1, epochs not below <see cref="LastEpoch"/>); not durable until synced.</summary>
    /// <exception cref="EntrySequenceException">An LSN or epoch is out of sequence; nothing was written.</exception>
    /// <exception cref="RecordTooLargeException">A payload is too large; nothing was written.</exception>
    void Append(IReadOnlyList<LoggedEntry> entries);

    /// <summary>Asks for every entry written so far to become durable; returns at once.</summary>
    /// <exception cref="LogFailedException">The log failed (before or, for a log that syncs at once, in this sync).</exception>
    EntryLogSync RequestSync();

    /// <summary>
    /// As <see cref="RequestSync()"/>, and calls <paramref name="whenComplete"/>(<paramref name="state"/>) exactly once,
    /// when the returned sync's <see cref="EntryLogSync.Completion"/> has completed or faulted: before this returns (on the
    /// caller's thread) when it is so already, otherwise on the thread that completes it (a journal's sync thread, under
    /// its lock). So it must only hand the news on to the owner (post to its queue), never call the log, never block;
    /// the owner then calls <see cref="CompleteSync"/> on its own thread. It saves the thread-pool hop of a continuation.
    /// </summary>
    /// <exception cref="LogFailedException">The log failed (before or, for a log that syncs at once, in this sync); the callback is not called.</exception>
    EntryLogSync RequestSync(Action<object?> whenComplete, object? state);

    /// <summary>Takes a completed <paramref name="sync"/> into account (owner thread): <see cref="DurableLsn"/> moves to its LSN unless the log was truncated or replaced since it was requested.</summary>
    /// <exception cref="InvalidOperationException">The sync has not completed, or is not this log's.</exception>
    /// <exception cref="LogFailedException">The sync failed: the log failed.</exception>
    void CompleteSync(EntryLogSync sync);

    /// <summary>Makes every entry written so far durable and returns when it is.</summary>
    /// <exception cref="LogFailedException">The sync failed: the log failed.</exception>
    void Sync();

    /// <summary>Removes every entry after <paramref name="lsn"/>, durably when it returns.</summary>
    /// <exception cref="EntriesCheckpointedException"><paramref name="lsn"/> is below <see cref="StartLsn"/>; nothing was removed.</exception>
    void TruncateAfter(long lsn);

    /// <summary>Reads entries <paramref name="fromLsn"/>.. (at most <paramref name="maxCount"/>), checking each CRC.</summary>
    /// <exception cref="EntriesCheckpointedException"><paramref name="fromLsn"/> is not above <see cref="StartLsn"/>.</exception>
    /// <exception cref="LogCorruptedException">A record fails its checksum.</exception>
    IReadOnlyList<LoggedEntry> Read(long fromLsn, int maxCount);

    /// <summary>Durably records that the owner entered <paramref name="epoch"/>.</summary>
    void PersistEpoch(long epoch);

    /// <summary>Checks and copies a checkpoint to write off the owner's thread (<see cref="EntryLog.BeginCheckpoint"/>).</summary>
    PendingEntryLogCheckpoint BeginCheckpoint(EntryLogCheckpoint checkpoint);

    /// <summary>Puts a written checkpoint in force (<see cref="EntryLog.CompleteCheckpoint"/>).</summary>
    void CompleteCheckpoint(PendingEntryLogCheckpoint pending);

    /// <summary>Deletes the entries up to <paramref name="lsn"/>, which the durable checkpoint covers; returns the number of files deleted.</summary>
    /// <exception cref="CheckpointNotDurableException"><paramref name="lsn"/> is above the checkpoint's LSN.</exception>
    int DeletePrefix(long lsn);

    /// <summary>Replaces the whole log by <paramref name="checkpoint"/> with no entry after it, atomically and durably.</summary>
    void InstallCheckpoint(EntryLogCheckpoint checkpoint);
}
