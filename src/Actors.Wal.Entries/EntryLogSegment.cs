using Actors.Wal.IO;

namespace Actors.Wal.Entries;

/// <summary>One open segment file of an <see cref="EntryLog"/>: its first LSN and where each of its records starts.</summary>
internal sealed class EntryLogSegment(IWalFile file, long firstLsn) : IDisposable
{
    private readonly List<long> _recordOffsets = [];

    public IWalFile File { get; } = file;

    public long FirstLsn { get; } = firstLsn;

    /// <summary>Bytes in use: the header plus every record kept.</summary>
    public long Length { get; private set; } = EntryLogFormat.SegmentHeaderSize;

    /// <summary>
    /// The file's length: <see cref="Length"/> plus a zero-filled reserve after the last record that appends overwrite
    /// (<see cref="EntryLogOptions.ZeroFillAheadBytes"/>); equal to <see cref="Length"/> once the segment is sealed.
    /// </summary>
    public long ReservedLength { get; set; } = EntryLogFormat.SegmentHeaderSize;

    /// <summary>The number of records (entries) in the segment.</summary>
    public int Count => _recordOffsets.Count;

    /// <summary>The LSN of the last record, or <see cref="FirstLsn"/> - 1 when empty.</summary>
    public long LastLsn => FirstLsn + Count - 1;

    /// <summary>Notes a record of <paramref name="size"/> bytes appended at the end.</summary>
    public void Added(int size)
    {
        _recordOffsets.Add(Length);
        Length += size;
    }

    /// <summary>The byte range of the record holding <paramref name="lsn"/>.</summary>
    public (long Offset, int Size) RecordRange(long lsn)
    {
        var index = checked((int)(lsn - FirstLsn));
        var offset = _recordOffsets[index];
        var end = index + 1 < _recordOffsets.Count ? _recordOffsets[index + 1] : Length;
        return (offset, checked((int)(end - offset)));
    }

    /// <summary>Forgets the records after <paramref name="lsn"/> (the caller shrinks the file); returns the new length.</summary>
    public long ForgetAfter(long lsn)
    {
        var keep = checked((int)(lsn - FirstLsn + 1));
        if (keep < _recordOffsets.Count)
        {
            Length = _recordOffsets[keep];
            _recordOffsets.RemoveRange(keep, _recordOffsets.Count - keep);
        }

        return Length;
    }

    public void Dispose() => File.Dispose();
}
