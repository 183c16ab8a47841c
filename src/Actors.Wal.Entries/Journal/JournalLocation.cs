namespace Actors.Wal.Entries.Journal;

/// <summary>Where an entry's record lies in an <see cref="EntryJournal"/>: its segment's ordinal, its offset in that file and its size.</summary>
internal readonly record struct JournalLocation(long Segment, long Offset, int Size);
