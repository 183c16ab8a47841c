using System.Buffers.Binary;
using Actors.Wal.Format;
using Actors.Wal.Maintenance;
using Actors.Wal.Segments;

namespace Actors.Wal.Reading;

internal sealed partial class LogReader
{
    private const int ScanWindow = 1024 * 1024;

    /// <summary>
    /// Searches every segment for stored copies of what <paramref name="scans"/> removed, reachable from their streams'
    /// chains or not, and returns the ids of the segments holding any.
    /// </summary>
    /// <remarks>
    /// A segment's records (up to its written offset; the active segment's too) are read header by header: a record of a
    /// scanned stream holding a removed item counts (Relocated records are decoded, item headers only). A recycled file
    /// (<see cref="SegmentHeader.IsRecycledFile"/>) also holds earlier segments' records after its own: those bytes are
    /// searched for a plausible record header naming a scanned stream, and any counts (they are not this segment's
    /// records, so nothing reads them, but they are on disk). A record that cannot be decoded counts too: the answer errs
    /// towards compacting more. One sequential read of every segment: the cost of a complete erase.
    /// </remarks>
    public async ValueTask<HashSet<uint>> FindSegmentsHoldingAsync(IReadOnlyList<ErasureScan> scans, CancellationToken cancellationToken)
    {
        var byLength = scans.GroupBy(s => s.Id.Length).ToDictionary(g => g.Key, g => g.ToArray());
        var found = new HashSet<uint>();
        byte[] window = new byte[ScanWindow];
        foreach (var segment in segments.Current.All)
        {
            if (!segment.TryAcquire())
            {
                continue; // deleted meanwhile: its file is gone or kept for reuse (an erase deletes those)
            }

            try
            {
                var reader = new SegmentWindowReader(segment, window);
                if (await RecordsHoldAsync(reader, segment.WrittenOffset, byLength, cancellationToken).ConfigureAwait(false)
                    || (segment.Header.IsRecycledFile && await StaleBytesHoldAsync(reader, segment.WrittenOffset, byLength, cancellationToken).ConfigureAwait(false)))
                {
                    found.Add(segment.Id);
                }

                window = reader.Window;
            }
            finally
            {
                segment.Release();
            }
        }

        return found;
    }

    private async ValueTask<bool> RecordsHoldAsync(SegmentWindowReader reader, long end, Dictionary<int, ErasureScan[]> byLength, CancellationToken cancellationToken)
    {
        var items = new List<RecordItem>();
        long offset = SegmentHeader.Size;
        while (offset + RecordHeader.Size <= end)
        {
            var head = await reader.ReadAsync(offset, RecordHeader.Size, cancellationToken).ConfigureAwait(false);
            if (!RecordHeader.TryRead(head.Span, Math.Min(maxRecordLength, end - offset), out var header, out _))
            {
                return true; // not decodable: count it
            }

            if (header.Type == RecordType.Seal)
            {
                return false;
            }

            if (byLength.TryGetValue(header.StreamIdLength, out var candidates))
            {
                var id = await reader.ReadAsync(offset + RecordHeader.Size, header.StreamIdLength, cancellationToken).ConfigureAwait(false);
                foreach (var scan in candidates)
                {
                    if (!id.Span.SequenceEqual(scan.Id))
                    {
                        continue;
                    }

                    if (scan.RemovesAnyOf(header))
                    {
                        return true;
                    }

                    if (header.Type == RecordType.Relocated)
                    {
                        var record = await reader.ReadAsync(offset, header.Length, cancellationToken).ConfigureAwait(false);
                        items.Clear();
                        if (!RecordCodec.TryDecodeItems(header, record, items, out _) || items.Exists(i => scan.Removes(i.Kind, i.Version, i.TimestampTicks)))
                        {
                            return true;
                        }
                    }
                }
            }

            offset += header.Length;
        }

        return false;
    }

    private static async ValueTask<bool> StaleBytesHoldAsync(SegmentWindowReader reader, long from, Dictionary<int, ErasureScan[]> byLength, CancellationToken cancellationToken)
    {
        long end = reader.FileLength;
        int longestId = byLength.Keys.Max();
        int overlap = RecordHeader.Size + longestId;
        for (long start = Math.Max(from, SegmentHeader.Size); start < end; start += ScanWindow - overlap)
        {
            var chunk = await reader.ReadAsync(start, (int)Math.Min(ScanWindow, end - start), cancellationToken).ConfigureAwait(false);
            if (StaleChunkHolds(chunk.Span, byLength))
            {
                return true;
            }

            if (start + chunk.Length >= end)
            {
                break;
            }
        }

        return false;
    }

    /// <summary>True when <paramref name="chunk"/> holds a scanned stream's id right after a plausible record header of it.</summary>
    private static bool StaleChunkHolds(ReadOnlySpan<byte> chunk, Dictionary<int, ErasureScan[]> byLength)
    {
        foreach (var (length, scans) in byLength)
        {
            foreach (var scan in scans)
            {
                int from = RecordHeader.Size;
                while (from + length <= chunk.Length)
                {
                    int at = chunk[from..].IndexOf(scan.Id);
                    if (at < 0)
                    {
                        break;
                    }

                    int idOffset = from + at;
                    ReadOnlySpan<byte> header = chunk.Slice(idOffset - RecordHeader.Size, RecordHeader.Size);
                    var type = (RecordType)header[8];
                    if (BinaryPrimitives.ReadUInt16LittleEndian(header[10..]) == length && type is RecordType.Events or RecordType.Checkpoint or RecordType.Relocated)
                    {
                        return true;
                    }

                    from = idOffset + 1;
                }
            }
        }

        return false;
    }
}
