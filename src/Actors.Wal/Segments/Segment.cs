using Actors.Wal.Format;
using Actors.Wal.IO;

namespace Actors.Wal.Segments;

/// <summary>
/// One segment file: its header, open file and end of data. The writer owns <see cref="WriteOffset"/>; readers
/// pin the segment with <see cref="TryAcquire"/>/<see cref="Release"/> so a concurrent deletion closes the file
/// only after the last reader is done.
/// </summary>
internal sealed class Segment
{
    private int _references = 1;

    /// <summary>Creates the in-memory view of an open segment.</summary>
    public Segment(SegmentHeader header, string path, IWalFile file, long writeOffset, bool isSealed)
    {
        Header = header;
        Path = path;
        File = file;
        WriteOffset = writeOffset;
        IsSealed = isSealed;
    }

    /// <summary>The segment id.</summary>
    public uint Id => Header.SegmentId;

    /// <summary>The parsed header.</summary>
    public SegmentHeader Header { get; }

    /// <summary>The file path.</summary>
    public string Path { get; }

    /// <summary>The open file.</summary>
    public IWalFile File { get; }

    /// <summary>The end of the records (where the next record goes). Includes the seal record of a sealed segment.</summary>
    public long WriteOffset { get; set; }

    /// <summary>True once the seal record was written and synced; no further record is appended.</summary>
    public bool IsSealed { get; set; }

    /// <summary>The creation time of the segment.</summary>
    public DateTimeOffset CreatedAt => new(Header.CreatedUtcTicks, TimeSpan.Zero);

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
        }
    }

    /// <summary>Drops the owner's reference (after deletion or at close); the file closes when no reader holds it.</summary>
    public void Retire() => Release();
}
