using Actors.Wal.Format;
using Actors.Wal.IO;

namespace Actors.Wal.Segments;

/// <summary>
/// One segment file: its header, open file, how far it is written and durable, and how many of its bytes are live.
/// </summary>
/// <remarks>
/// Ownership: the writer (the thread holding its drain) alone moves <see cref="WrittenOffset"/> (where the next record is
/// framed; the committer writes the bytes before it syncs them) and seals the segment; the committer thread
/// alone moves <see cref="DurableOffset"/> and <see cref="LiveBytes"/>; recovery sets all of them before the log
/// starts. Other threads read them (volatile reads). Readers pin the segment with <see cref="TryAcquire"/> /
/// <see cref="Release"/>, so a deleted segment's file is closed (and may be recycled) only after the last reader is
/// done (<see cref="WhenReleased"/>).
/// </remarks>
internal sealed class Segment
{
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _references = 1;
    private long _writtenOffset;
    private long _durableOffset;
    private long _liveBytes;
    private long _copiedBytes;
    private int _sealed;
    private long _sealedAtTicks;
    private volatile bool _listedLive;
    private bool _holdsErasedData;

    /// <summary>Creates the in-memory view of an open segment.</summary>
    public Segment(SegmentHeader header, string path, IWalFile file, long writtenOffset, bool isSealed)
    {
        Header = header;
        Path = path;
        File = file;
        _writtenOffset = writtenOffset;
        _durableOffset = writtenOffset;
        _sealed = isSealed ? 1 : 0;
        ActivatedAtTicks = header.CreatedUtcTicks;
    }

    /// <summary>The segment id.</summary>
    public uint Id => Header.SegmentId;

    /// <summary>The parsed header.</summary>
    public SegmentHeader Header { get; }

    /// <summary>The file path (a spare's changes once, when it is renamed to its segment name).</summary>
    public string Path { get; private set; }

    /// <summary>The open file.</summary>
    public IWalFile File { get; private set; }

    /// <summary>
    /// The end of the records framed into the segment (where the next record goes), the seal record of a sealed segment
    /// included. The committer writes them before it syncs them, so bytes up to here are on stable storage only once
    /// <see cref="DurableOffset"/> reaches it: whoever needs them on disk (the manifest's seal, space management, the change
    /// feed) checks both.
    /// </summary>
    public long WrittenOffset
    {
        get => Volatile.Read(ref _writtenOffset);
        set => Volatile.Write(ref _writtenOffset, value);
    }

    /// <summary>The end of the records known to be on stable storage.</summary>
    public long DurableOffset
    {
        get => Volatile.Read(ref _durableOffset);
        set => Volatile.Write(ref _durableOffset, value);
    }

    /// <summary>True once the seal record was written; no further record is appended.</summary>
    public bool IsSealed => Volatile.Read(ref _sealed) != 0;

    /// <summary>When the segment was sealed (UTC ticks; the seal record's timestamp), or 0.</summary>
    public long SealedAtTicks => Volatile.Read(ref _sealedAtTicks);

    /// <summary>
    /// True once a durable manifest lists the segment as live. Records in it may be acknowledged before (the committer
    /// asks for that manifest write in the background): until then recovery and backup find it as a listed spare taken
    /// into use (after a sealed segment, holding records; under its segment name).
    /// </summary>
    public bool ListedLive
    {
        get => _listedLive;
        set => _listedLive = value;
    }

    /// <summary>When the writer started writing into the segment (UTC ticks): for age rotation.</summary>
    public long ActivatedAtTicks { get; set; }

    /// <summary>
    /// True once an erase left records here that must not survive: the segment is compacted even when mostly live, and
    /// its file is deleted, never kept for reuse. Any thread.
    /// </summary>
    public bool HoldsErasedData
    {
        get => Volatile.Read(ref _holdsErasedData);
        set => Volatile.Write(ref _holdsErasedData, value);
    }


    /// <summary>Bytes of stream records (header and seal excluded): every byte between them is a record.</summary>
    public long RecordBytes => Math.Max(0, WrittenOffset - SegmentHeader.Size - (IsSealed ? RecordHeader.SealSize : 0));

    /// <summary>Bytes of records some stream still needs (the sum of the stream runs here).</summary>
    public long LiveBytes => Volatile.Read(ref _liveBytes);

    /// <summary>
    /// Bytes of Relocated records written here since the log opened: copies that compaction, chain consolidation or an erase
    /// made of records of other segments (recovery counts those it scans; a segment it does not scan reports 0).
    /// When <see cref="LiveBytes"/> is at most this, the live records may all be such copies (space management then leaves
    /// the segment in place for its live ratio alone, within <see cref="WriteAheadLogOptions.MaxSparseCopySegments"/>).
    /// </summary>
    public long CopiedBytes => Volatile.Read(ref _copiedBytes);

    /// <summary>The creation time of the segment file (its header).</summary>
    public DateTimeOffset CreatedAt => new(Header.CreatedUtcTicks, TimeSpan.Zero);

    /// <summary>Completes when the segment was retired and its last reader let go.</summary>
    public Task WhenReleased => _released.Task;

    /// <summary>Notes that the file was renamed (a spare taken into use) and reopened under its new name.</summary>
    public void Renamed(string path, IWalFile reopened)
    {
        var old = File;
        Path = path;
        File = reopened;
        old.Dispose();
    }

    /// <summary>Marks the segment sealed (the writer, or recovery).</summary>
    public void MarkSealed(long sealedAtTicks)
    {
        Volatile.Write(ref _sealedAtTicks, sealedAtTicks);
        Volatile.Write(ref _sealed, 1);
    }

    /// <summary>Adds to the live bytes (committer thread, or recovery).</summary>
    public void AddLive(long delta) => Volatile.Write(ref _liveBytes, _liveBytes + delta);

    /// <summary>Adds a Relocated record's bytes (the writer, which owns <see cref="WrittenOffset"/>; or recovery).</summary>
    public void AddCopied(long bytes) => Volatile.Write(ref _copiedBytes, _copiedBytes + bytes);

    /// <summary>Sets the live bytes (recovery, recomputation).</summary>
    public void SetLive(long bytes) => Volatile.Write(ref _liveBytes, bytes);

    /// <summary>Pins the segment for a read; false when it was deleted.</summary>
    public bool TryAcquire()
    {
        while (true)
        {
            int current = Volatile.Read(ref _references);
            if (current <= 0)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _references, current + 1, current) == current)
            {
                return true;
            }
        }
    }

    /// <summary>Unpins; closes the file when the segment was retired and this was the last pin.</summary>
    public void Release()
    {
        if (Interlocked.Decrement(ref _references) == 0)
        {
            File.Dispose();
            _released.TrySetResult();
        }
    }

    /// <summary>Drops the owner's reference (after deletion or at close); the file closes when no reader holds it.</summary>
    public void Retire() => Release();
}
