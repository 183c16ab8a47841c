using Actors.Wal.Format;

namespace Actors.Wal.Reading;

/// <summary>
/// Decides which bytes of a segment a back-pointer walk should have the operating system read ahead: the walk goes
/// backwards through a segment one record at a time, each record's position known only once the record after it was
/// read, so a cold walk costs one disk round trip per record (about 50 us each here: 1,000 records, 50 ms). Reading the
/// region below the walk ahead of it, many megabytes in flight, turns those round trips into a stream at the disk's
/// bandwidth; it pays only where the stream's records lie close together, so the window opens only while they do.
/// </summary>
/// <remarks>
/// <para>
/// The rule, per segment: after two records of the walk there, the average distance between its records in that segment
/// decides. Above <see cref="MaxDenseSpacing"/> (the stream is one of many thousands written at once) the window stays
/// shut: reading the gaps would cost more than the round trips. At or below it the window covers <see cref="InitialLead"/>
/// bytes below the record just read, is renewed once the walk has used half of it, and doubles with each renewal up to
/// <see cref="MaxLead"/>. When the stream's live bytes in the segment are known (the index's run of that segment), the
/// window reaches no further than the bytes the walk still needs there at the density seen so far, plus a margin, so a
/// walk that ends at a checkpoint reads little past it; once the walk has consumed them, it stops.
/// </para>
/// <para>
/// Ownership: one walk, one thread at a time. A value type with no resources: <see cref="ReadAhead"/> turns its answers
/// into advice to the kernel. The answers are hints only: the walk reads and verifies every record as before.
/// </para>
/// </remarks>
internal struct ReadAheadWindow
{
    /// <summary>
    /// The widest average distance between the walk's records at which reading ahead pays. One cold round trip here costs
    /// about as much as reading 100 KiB at the disk's bandwidth (50 us at 1.9 GB/s); 32 KiB keeps reading ahead clearly
    /// cheaper in time and no worse in disk work than one 4 KiB read per record at the disk's random-read rate.
    /// </summary>
    public const int MaxDenseSpacing = 32 * 1024;

    /// <summary>The first window's size.</summary>
    public const int InitialLead = 256 * 1024;

    /// <summary>The largest window: about 4 ms of the disk's bandwidth in flight.</summary>
    public const int MaxLead = 8 * 1024 * 1024;

    /// <summary>The margin added to the estimate of what the walk still needs in a segment.</summary>
    public const int Margin = 64 * 1024;

    private uint _segment;
    private long _firstOffset;
    private long _firstEnd;
    private long _consumed;
    private int _records;
    private long _runBytes;
    private long _advisedLow;
    private long _lead;

    /// <summary>
    /// Takes the record the walk just read and returns the range to read ahead now, or an empty range.
    /// </summary>
    /// <param name="segment">The record's segment.</param>
    /// <param name="offset">The record's offset in it.</param>
    /// <param name="length">The record's length.</param>
    /// <param name="runBytes">The stream's live bytes in the segment per the index, or 0 when unknown.</param>
    /// <returns>The range [Offset, Offset + Length) to read ahead (Length 0: none).</returns>
    public (long Offset, long Length) Visit(uint segment, long offset, int length, long runBytes)
    {
        if (segment != _segment || _records == 0 || offset >= _firstEnd)
        {
            _segment = segment;
            _firstOffset = offset;
            _firstEnd = offset + length;
            _consumed = 0;
            _records = 0;
            _runBytes = runBytes;
            _advisedLow = long.MaxValue;
            _lead = InitialLead;
        }

        _records++;
        _consumed += length;
        if (_records < 2 || (_firstOffset - offset) / (_records - 1) > MaxDenseSpacing)
        {
            return default;
        }

        long reach = _lead;
        if (_runBytes > 0)
        {
            long remaining = _runBytes - _consumed;
            if (remaining <= 0)
            {
                return default; // the walk has read every live byte the stream has here: it ends in this segment
            }

            // Live bytes still needed here, at the density seen so far, is the distance the walk still has to go.
            long walked = _firstEnd - offset;
            reach = Math.Min(reach, (long)((double)remaining * walked / _consumed) + Margin);
        }

        long ahead = _advisedLow == long.MaxValue ? 0 : offset - _advisedLow;
        if (ahead > reach / 2)
        {
            return default; // more than half the window is still ahead of the walk
        }

        long top = Math.Min(_advisedLow, offset);
        long low = Math.Max(SegmentHeader.Size, offset - reach);
        if (low >= top)
        {
            return default;
        }

        _advisedLow = low;
        _lead = Math.Min(MaxLead, _lead * 2);
        return (low, top - low);
    }
}
