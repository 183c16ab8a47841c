namespace Actors.Wal.Entries;

/// <summary>Where an <see cref="EntryLog"/> lives and how large its files and entries may be.</summary>
public sealed class EntryLogOptions
{
    /// <summary>The default <see cref="SegmentSizeBytes"/>: 64 MiB.</summary>
    public const long DefaultSegmentSizeBytes = 64L * 1024 * 1024;

    /// <summary>The default <see cref="MaxEntryBytes"/>: 16 MiB.</summary>
    public const int DefaultMaxEntryBytes = 16 * 1024 * 1024;

    /// <summary>The default <see cref="ZeroFillAheadBytes"/>: 1 MiB.</summary>
    public const long DefaultZeroFillAheadBytes = 1024 * 1024;

    /// <summary>The directory holding the log's files (created if missing). One log per directory.</summary>
    public string Directory { get; set; } = "";

    /// <summary>A segment file is closed and a new one started when the next entry would take it past this size (a single larger entry still gets a segment of its own).</summary>
    public long SegmentSizeBytes { get; set; } = DefaultSegmentSizeBytes;

    /// <summary>The largest payload an entry may carry; larger ones are rejected with <see cref="RecordTooLargeException"/>.</summary>
    public int MaxEntryBytes { get; set; } = DefaultMaxEntryBytes;

    /// <summary>
    /// How far ahead of its last record the active segment is zero-filled (0: not at all). An append that would pass the
    /// zero-filled end writes this many more zero bytes (never past <see cref="SegmentSizeBytes"/>), and the next sync
    /// makes them durable with the entries; later entries overwrite written blocks, so their syncs change neither the
    /// file's size nor its block map (on ext4 such an fdatasync commits no file-system journal transaction: less CPU and
    /// latency per sync, as PostgreSQL zero-fills its WAL segments). A sealed segment is cut back to its last record; at
    /// open a zero-filled tail is removed without counting as torn (<see cref="EntryLog.TornBytesCutAtOpen"/>).
    /// </summary>
    public long ZeroFillAheadBytes { get; set; } = DefaultZeroFillAheadBytes;

    /// <summary>Checks every setting; the message names the one that is wrong.</summary>
    /// <exception cref="ArgumentException">A setting is out of range.</exception>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Directory))
        {
            throw new ArgumentException($"{nameof(EntryLogOptions)}.{nameof(Directory)} must name a directory.", nameof(Directory));
        }

        if (SegmentSizeBytes < EntryLogFormat.SegmentHeaderSize + EntryLogFormat.RecordHeaderSize)
        {
            throw new ArgumentOutOfRangeException(
                nameof(SegmentSizeBytes), SegmentSizeBytes, $"{nameof(EntryLogOptions)}.{nameof(SegmentSizeBytes)} must be at least {EntryLogFormat.SegmentHeaderSize + EntryLogFormat.RecordHeaderSize}.");
        }

        if (ZeroFillAheadBytes < 0)
        {
            throw new ArgumentOutOfRangeException(
                nameof(ZeroFillAheadBytes), ZeroFillAheadBytes, $"{nameof(EntryLogOptions)}.{nameof(ZeroFillAheadBytes)} must not be negative.");
        }

        if (MaxEntryBytes < 0 || MaxEntryBytes > int.MaxValue - EntryLogFormat.RecordHeaderSize)
        {
            throw new ArgumentOutOfRangeException(
                nameof(MaxEntryBytes), MaxEntryBytes, $"{nameof(EntryLogOptions)}.{nameof(MaxEntryBytes)} must be between 0 and {int.MaxValue - EntryLogFormat.RecordHeaderSize}.");
        }
    }
}
