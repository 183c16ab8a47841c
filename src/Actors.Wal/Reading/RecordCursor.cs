using System.Buffers;
using Actors.Wal.Format;
using Actors.Wal.Segments;

namespace Actors.Wal.Reading;

/// <summary>A verified record read from a segment: its header and bytes (a slice the caller may keep).</summary>
internal readonly record struct StoredRecord(RecordHeader Header, ReadOnlyMemory<byte> Bytes, string Path, long Offset)
{
    /// <summary>The stream id bytes of the record.</summary>
    public ReadOnlySpan<byte> StreamId => Bytes.Span.Slice(RecordHeader.Size, Header.StreamIdLength);
}

/// <summary>
/// Reads the records of one back-pointer walk (asynchronously, or on the caller's thread with <c>synchronousReads</c>): each read fetches a window of the
/// segment that ends just after the record asked for, so the stream's earlier records that lie close before it (a
/// stream's events are usually written close together) come with the same read. Windows grow (4 KiB, 16 KiB,
/// 64 KiB) as the walk goes on while each window serves several of its records, so a short walk reads little and a long
/// one needs few reads; a window that served one record only (a stream interleaved with many others) is followed by a
/// 4 KiB one again, so a scattered stream costs about 4 KiB per record instead of 64.
/// </summary>
/// <remarks>
/// Ownership: one walk (or the walks of one chunk of compaction's copies: <see cref="LogReader.RelocationCursor"/>), one thread at a time. Every record is checked (header, CRC) before it is returned; the segment
/// is pinned only during a read, so a segment deleted meanwhile yields null (the caller retries with the index's new
/// entry, or reports the loss). Windows are never reused while the cursor's owner may hold records: by default they are
/// allocated and left to the collector; with a <paramref name="pool"/> they are rented from it and added to
/// <paramref name="rentals"/>, and the owner returns them once no record handed out is used any more (space management,
/// after its copies are written: a pass reads many streams, and fresh windows per stream fed the collector).
/// </remarks>
/// <param name="segments">The segments to read.</param>
/// <param name="maxRecordLength">The longest valid record.</param>
/// <param name="pool">The pool to rent buffers from, or null to allocate them.</param>
/// <param name="rentals">Where rented buffers go (required with <paramref name="pool"/>).</param>
/// <param name="readAhead">The walk's read-ahead, told of every record read (null: none; maintenance reads without).</param>
/// <param name="synchronousReads">
/// True: the file is read on the calling thread, so <see cref="ReadAsync"/> completes synchronously and neither it nor
/// its callers' async methods allocate a state machine per read. For maintenance, which reads many streams mostly from
/// the page cache: an asynchronous file read on Linux blocks a thread-pool thread in the same system call, and each of
/// its awaits boxed a state machine (about 130 MB for a pass that copied 100,000 streams). The calling thread (a
/// thread-pool thread for maintenance) is then held for a chunk of reads in a row. The token is checked before each
/// read, not during it.
/// </param>
internal sealed class RecordCursor(SegmentManager segments, long maxRecordLength, ArrayPool<byte>? pool = null, List<byte[]>? rentals = null, ReadAhead? readAhead = null, bool synchronousReads = false)
{
    /// <summary>The size of a cursor's first window (and of its windows while they serve one record each).</summary>
    public const int FirstWindow = 4 * 1024;

    /// <summary>The bytes a window reaches past the start of the record it is read for.</summary>
    public const int Lookahead = 512;

    private const int MaxWindow = 64 * 1024;
    private byte[] _window = [];
    private Segment? _segment;
    private long _start;
    private int _length;
    private int _nextWindow = FirstWindow;
    private int _served;

    /// <summary>
    /// The oldest position the walk can still ask for (<see cref="LogPosition.None"/>: not known, the default). When set, a
    /// window read for a record that lies no more than <see cref="FloorWindow"/> bytes above it (or above the start of the
    /// record's segment, when the floor lies in an earlier segment) starts there, so one read serves every record the walk
    /// still needs in that segment. A hint for how much to read only: every record is checked as before.
    /// </summary>
    public long Floor { get; set; } = LogPosition.None;

    /// <summary>The widest window read to reach down to <see cref="Floor"/> (the owner sets it before each read).</summary>
    public int FloorWindow { get; set; }

    /// <summary>The file reads this cursor issued (window reads and reads of records longer than their window).</summary>
    public int FileReads { get; private set; }

    /// <summary>Reads and verifies the record at <paramref name="position"/>; null when its segment was deleted.</summary>
    /// <exception cref="LogCorruptedException">The bytes there are not a valid record.</exception>
    public async ValueTask<StoredRecord?> ReadAsync(long position, CancellationToken cancellationToken)
    {
        uint segmentId = LogPosition.Segment(position);
        long offset = LogPosition.Offset(position);
        if (_segment is not { } cached || cached.Id != segmentId || offset < _start || offset + RecordHeader.Size > _start + _length)
        {
            var segment = segments.Current.Find(segmentId);
            if (segment is null || !segment.TryAcquire())
            {
                return null;
            }

            if (_segment is not null && _served < 2)
            {
                // The last window held one record of this walk: the stream's records lie far apart (interleaved with
                // other streams'), so a bigger window would mostly read other streams' bytes. Stay small.
                _nextWindow = FirstWindow;
            }

            try
            {
                long start = Math.Max(SegmentHeader.Size, offset + Lookahead - _nextWindow);
                if (Floor != LogPosition.None)
                {
                    long low = LogPosition.Segment(Floor) == segmentId ? Math.Max(SegmentHeader.Size, LogPosition.Offset(Floor)) : SegmentHeader.Size;
                    if (low < start && low <= offset && offset + Lookahead - low <= FloorWindow)
                    {
                        start = low; // the walk's remaining records in this segment, in one read
                    }
                }

                int size = (int)(offset + Lookahead - start);
                byte[] window = NewBuffer(size);
                cancellationToken.ThrowIfCancellationRequested();
                int read = synchronousReads
                    ? segment.File.Read(start, window.AsSpan(0, size))
                    : await segment.File.ReadAsync(start, window.AsMemory(0, size), cancellationToken).ConfigureAwait(false);
                FileReads++;
                (_window, _segment, _start, _length) = (window, segment, start, read);
                _nextWindow = Math.Min(MaxWindow, _nextWindow * 4);
                _served = 0;
            }
            finally
            {
                segment.Release();
            }
        }

        var current = _segment!;
        int at = (int)(offset - _start);
        _served++;
        if (at + RecordHeader.Size > _length)
        {
            throw new LogCorruptedException(current.Path, offset, "the record header is cut off by the end of the file");
        }

        if (!RecordHeader.TryRead(_window.AsSpan(at, _length - at), maxRecordLength, out var header, out string? reason))
        {
            throw new LogCorruptedException(current.Path, offset, reason ?? "invalid record header");
        }

        ReadOnlyMemory<byte> bytes;
        if (at + header.Length <= _length)
        {
            bytes = _window.AsMemory(at, header.Length);
        }
        else
        {
            // Longer than the window: read the whole record on its own.
            if (!current.TryAcquire())
            {
                return null;
            }

            byte[] record;
            try
            {
                record = NewBuffer(header.Length);
                int read = synchronousReads
                    ? current.File.Read(offset, record.AsSpan(0, header.Length))
                    : await current.File.ReadAsync(offset, record.AsMemory(0, header.Length), cancellationToken).ConfigureAwait(false);
                FileReads++;
                if (read < header.Length)
                {
                    throw new LogCorruptedException(current.Path, offset, "the record is cut off by the end of the file");
                }
            }
            finally
            {
                current.Release();
            }

            bytes = record.AsMemory(0, header.Length);
        }

        if (!RecordCodec.CrcMatches(bytes.Span, current.Header.RecordSalt))
        {
            throw new LogCorruptedException(current.Path, offset, $"the CRC of a {header.Type} record does not match");
        }

        readAhead?.Visit(current, offset, header.Length);
        return new StoredRecord(header, bytes, current.Path, offset);
    }

    /// <summary>A buffer of at least <paramref name="size"/> bytes: rented and recorded when the owner pools, else new.</summary>
    private byte[] NewBuffer(int size)
    {
        if (pool is null || rentals is null)
        {
            return new byte[size];
        }

        byte[] buffer = pool.Rent(size);
        rentals.Add(buffer);
        return buffer;
    }
}
