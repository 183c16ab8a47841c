using Actors.Wal.Format;
using Actors.Wal.Segments;

namespace Actors.Wal.Reading;

/// <summary>
/// Learns the anchor a stream's next record carries from its latest record on disk: what the writer needs when it takes
/// up an idle stream whose latest record is not an anchor itself (the writer keeps the anchor of hot streams only).
/// </summary>
/// <remarks>
/// One synchronous read of at most <see cref="ProbeBytes"/> on the writer's thread, on the first use of an idle stream
/// (the same record <c>LogReader.MatchesOnDisk</c> just read, so usually from the page cache). Every doubt (the segment
/// gone, a record longer than the probe, a header or CRC that does not check, a pointer that does not go backwards)
/// answers <see cref="LogPosition.None"/>: the next records then carry no anchor until the stream's next anchor record,
/// so reads of them walk the back-pointers one by one. That costs read time, never data: a learned pointer is only
/// trusted after the record's CRC verified it.
/// </remarks>
internal static class AnchorProbe
{
    /// <summary>The most bytes read: a longer latest record is not probed.</summary>
    public const int ProbeBytes = 4096;

    /// <summary>The anchor of the stream whose latest record is at <paramref name="latest"/>, or <see cref="LogPosition.None"/>.</summary>
    public static long ReadAnchorAfter(SegmentManager segments, long latest)
    {
        var segment = segments.Current.Find(LogPosition.Segment(latest));
        if (segment is null || !segment.TryAcquire())
        {
            return LogPosition.None;
        }

        try
        {
            long offset = LogPosition.Offset(latest);
            Span<byte> bytes = stackalloc byte[ProbeBytes];
            int read = segment.File.Read(offset, bytes);
            if (!RecordHeader.TryRead(bytes[..read], Math.Min(read, ProbeBytes), out var header, out _) || !header.HasAnchor
                || !RecordCodec.CrcMatches(bytes[..header.Length], segment.Header.RecordSalt))
            {
                return LogPosition.None;
            }

            long anchor = RecordCodec.ReadAnchor(header, bytes[..header.Length]);
            return anchor >= 0 && anchor < latest ? anchor : LogPosition.None;
        }
        finally
        {
            segment.Release();
        }
    }
}
