namespace Actors.Wal.Entries.Journal;

/// <summary>Where an <see cref="EntryJournal"/> lives and how large its files, records and write buffer may be.</summary>
public sealed class EntryJournalOptions
{
    /// <summary>The default <see cref="SegmentSizeBytes"/>: 64 MiB.</summary>
    public const long DefaultSegmentSizeBytes = 64L * 1024 * 1024;

    /// <summary>The default <see cref="MaxBufferedBytes"/>: 1 MiB.</summary>
    public const int DefaultMaxBufferedBytes = 1024 * 1024;

    /// <summary>The directory holding the journal's segment files (created if missing). One journal per directory.</summary>
    public string Directory { get; set; } = "";

    /// <summary>A segment is sealed and a new one started when the next record would take it past this size (a single larger record still gets a segment of its own).</summary>
    public long SegmentSizeBytes { get; set; } = DefaultSegmentSizeBytes;

    /// <summary>The largest entry payload; larger ones are rejected with <see cref="RecordTooLargeException"/>.</summary>
    public int MaxEntryBytes { get; set; } = EntryLogOptions.DefaultMaxEntryBytes;

    /// <summary>How far ahead of its last record the active segment is zero-filled (0: not at all); as <see cref="EntryLogOptions.ZeroFillAheadBytes"/>.</summary>
    public long ZeroFillAheadBytes { get; set; } = EntryLogOptions.DefaultZeroFillAheadBytes;

    /// <summary>Records are copied into a buffer and written to the file by the group commit; past this many buffered bytes the appender writes them itself (without syncing).</summary>
    public int MaxBufferedBytes { get; set; } = DefaultMaxBufferedBytes;

    /// <summary>Checks every setting; the message names the one that is wrong.</summary>
    /// <exception cref="ArgumentException">A setting is out of range.</exception>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Directory))
        {
            throw new ArgumentException($"{nameof(EntryJournalOptions)}.{nameof(Directory)} must name a directory.", nameof(Directory));
        }

        if (SegmentSizeBytes < EntryJournalFormat.SegmentHeaderSize + EntryJournalFormat.RecordHeaderSize)
        {
            throw new ArgumentOutOfRangeException(
                nameof(SegmentSizeBytes), SegmentSizeBytes, $"{nameof(EntryJournalOptions)}.{nameof(SegmentSizeBytes)} must be at least {EntryJournalFormat.SegmentHeaderSize + EntryJournalFormat.RecordHeaderSize}.");
        }

        if (ZeroFillAheadBytes < 0)
        {
            throw new ArgumentOutOfRangeException(
                nameof(ZeroFillAheadBytes), ZeroFillAheadBytes, $"{nameof(EntryJournalOptions)}.{nameof(ZeroFillAheadBytes)} must not be negative.");
        }

        if (MaxEntryBytes < 0 || MaxEntryBytes > int.MaxValue - EntryJournalFormat.RecordHeaderSize)
        {
            throw new ArgumentOutOfRangeException(
                nameof(MaxEntryBytes), MaxEntryBytes, $"{nameof(EntryJournalOptions)}.{nameof(MaxEntryBytes)} must be between 0 and {int.MaxValue - EntryJournalFormat.RecordHeaderSize}.");
        }

        if (MaxBufferedBytes < 1)
        {
            throw new ArgumentOutOfRangeException(
                nameof(MaxBufferedBytes), MaxBufferedBytes, $"{nameof(EntryJournalOptions)}.{nameof(MaxBufferedBytes)} must be at least 1.");
        }
    }
}
