using Actors.Wal.Format;
using Actors.Wal.Index;
using Actors.Wal.Segments;

namespace Actors.Wal.Reading;

/// <summary>
/// One back-pointer walk's read-ahead: told each record the walk reads, it asks the kernel to read the region below it
/// ahead of the walk (<see cref="ReadAheadWindow"/> decides where), so a walk over a stream whose records lie close
/// together among other streams' records waits for the disk's bandwidth instead of one round trip per record.
/// </summary>
/// <remarks>
/// Ownership: one walk, one thread at a time; owns one descriptor of the segment it advises (opened on first advice,
/// closed when the walk moves to another segment and on <see cref="Dispose"/>). Hints only: the walk still reads and
/// checks every record (header, CRC, stream id, back-pointer) itself, so advice that misses, lands on a segment deleted
/// meanwhile, or is refused changes what is read from the disk, never what the walk returns or reports.
/// </remarks>
internal sealed class ReadAhead : IDisposable
{
    /// <summary>The AppContext switch (a boolean, default true) that turns read-ahead off, for side-by-side measurements.</summary>
    public const string Switch = "Actors.Wal.ReadAhead";

    /// <summary>The largest single advice: a window is advised in pieces, the piece nearest the walk first.</summary>
    public const int AdviceChunk = 1024 * 1024;

    private readonly StreamEntry _entry;
    private readonly ReadAheadStatistics _statistics;
    private ReadAheadWindow _window;
    private int _descriptor = -1;
    private uint _descriptorSegment;
    private bool _opened;

    private ReadAhead(in StreamEntry entry, ReadAheadStatistics statistics)
    {
        _entry = entry;
        _statistics = statistics;
    }

    /// <summary>True unless the <see cref="Switch"/> turned read-ahead off.</summary>
    public static bool Enabled => AppContext.TryGetSwitch(Switch, out bool on) ? on : true;

    /// <summary>A read-ahead for a walk of <paramref name="entry"/>'s records, or null where there is none (switched off, not Linux).</summary>
    public static ReadAhead? For(in StreamEntry entry, ReadAheadStatistics statistics)
        => ReadAheadNative.IsSupported && Enabled ? new ReadAhead(entry, statistics) : null;

    /// <summary>Takes the record the walk just read (verified or not) and advises what lies ahead of the walk.</summary>
    /// <param name="segment">The record's segment (pinned by the caller or not: only its id and path are used).</param>
    /// <param name="offset">The record's offset.</param>
    /// <param name="length">The record's length.</param>
    public void Visit(Segment segment, long offset, int length)
    {
        var (low, bytes) = _window.Visit(segment.Id, offset, length, RunBytes(segment.Id));
        if (bytes <= 0)
        {
            return;
        }

        if (!_opened || _descriptorSegment != segment.Id)
        {
            ReadAheadNative.Close(_descriptor);
            _descriptor = ReadAheadNative.Open(segment.Path);
            _descriptorSegment = segment.Id;
            _opened = true;
        }

        if (_descriptor < 0)
        {
            return; // the file is gone (space management) or not on a disk: the walk reads as it would without advice
        }

        // Nearest the walk first: the kernel starts each piece's reads at once, and the walk needs the top one next.
        for (long top = low + bytes; top > low;)
        {
            long piece = Math.Min(AdviceChunk, top - low);
            if (!ReadAheadNative.WillNeed(_descriptor, top - piece, piece))
            {
                return;
            }

            top -= piece;
            _statistics.Add(piece);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        ReadAheadNative.Close(_descriptor);
        _descriptor = -1;
        _opened = false;
    }

    /// <summary>The stream's live bytes in <paramref name="segment"/> per the index, or 0 when it has none there.</summary>
    private long RunBytes(uint segment)
    {
        if (_entry.LatestPosition != LogPosition.None && _entry.LatestSegment == segment)
        {
            return _entry.LatestRunBytes;
        }

        if (_entry.OlderRuns is { } older)
        {
            foreach (var run in older)
            {
                if (run.SegmentId == segment)
                {
                    return run.Bytes;
                }
            }
        }

        return 0;
    }
}
