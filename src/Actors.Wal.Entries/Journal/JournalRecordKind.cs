namespace Actors.Wal.Entries.Journal;

/// <summary>What a record of an <see cref="EntryJournal"/> does to the log it names.</summary>
internal enum JournalRecordKind : byte
{
    /// <summary>An entry at Lsn of Epoch with a payload: the log's next entry.</summary>
    Entry = 1,

    /// <summary>The log keeps its entries up to Lsn and forgets the rest (<see cref="JournaledEntryLog.TruncateAfter"/>).</summary>
    Truncate = 2,

    /// <summary>The log was replaced by a checkpoint at Lsn of Epoch with no entry after it (<see cref="JournaledEntryLog.InstallCheckpoint"/>): every earlier record of the log is obsolete.</summary>
    Reset = 3,
}
