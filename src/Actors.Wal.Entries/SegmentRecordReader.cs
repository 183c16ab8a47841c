using System.Diagnostics.CodeAnalysis;
using Actors.Wal.IO;

namespace Actors.Wal.Entries;

/// <summary>
/// Reads the records of a segment file one by one at recovery, for both layouts (<see cref="EntryLogFormat"/>,
/// <see cref="Journal.EntryJournalFormat"/>: a record starts with a header holding its total length and is covered by a
/// CRC), telling a whole valid record from a torn one, and cuts a torn tail off the last segment.
/// </summary>
/// <remarks>
/// A record is torn when the bytes left are shorter than a header, its length does not fit them (zero-filled space reads
/// as length 0), or it fails its check. The caller decides what that means: in the last segment the unsynced tail of a
/// crash or the zero-filled reserve (<see cref="CutTornTail"/>), elsewhere damage. Not thread-safe: recovery's own.
/// </remarks>
/// <param name="file">The segment file; its length is taken once, here.</param>
/// <param name="recordHeaderSize">The layout's record header size: the smallest record.</param>
/// <param name="readRecordLength">The layout's length field of a record header.</param>
/// <param name="isValidRecord">The layout's check of exactly one record's bytes (its CRC, and what else the layout requires).</param>
internal sealed class SegmentRecordReader(
    IWalFile file, int recordHeaderSize, Func<ReadOnlySpan<byte>, int> readRecordLength, Func<ReadOnlySpan<byte>, bool> isValidRecord)
{
    private const int ScanBlockSize = 64 * 1024;
    private readonly byte[] _header = new byte[recordHeaderSize];

    /// <summary>The file's length when the reader was made: records are read up to here.</summary>
    public long FileLength { get; } = file.Length;

    /// <summary>Reads the record at <paramref name="offset"/>: true with its bytes, or false with why it is torn.</summary>
    public bool TryRead(long offset, [NotNullWhen(true)] out byte[]? record, [NotNullWhen(false)] out string? tornReason)
    {
        record = null;
        tornReason = null;
        var remaining = FileLength - offset;
        if (remaining < recordHeaderSize || file.Read(offset, _header) != _header.Length)
        {
            tornReason = $"{remaining} bytes at the end are shorter than a record header";
            return false;
        }

        var length = readRecordLength(_header);
        if (length < recordHeaderSize || length > remaining)
        {
            tornReason = $"the record length {length} does not fit the {remaining} bytes left";
            return false;
        }

        var bytes = new byte[length];
        if (file.Read(offset, bytes) != length || !isValidRecord(bytes))
        {
            tornReason = $"the {length}-byte record fails its checksum";
            return false;
        }

        record = bytes;
        return true;
    }

    /// <summary>
    /// Cuts the file at <paramref name="offset"/>, durably, so that later appends never follow stale bytes. Returns the
    /// bytes cut up to the last non-zero one: trailing zeros are the zero-filled reserve, or zeros a crash left where
    /// unsynced bytes were never written, and are not counted as torn.
    /// </summary>
    public long CutTornTail(long offset)
    {
        var torn = EndOfNonZeroBytes(offset) - offset;
        file.SetLength(offset);
        file.Flush();
        return torn;
    }

    /// <summary>The position after the last non-zero byte in [<paramref name="from"/>, <see cref="FileLength"/>) (<paramref name="from"/> when all are zero).</summary>
    private long EndOfNonZeroBytes(long from)
    {
        var block = new byte[ScanBlockSize];
        var end = from;
        for (var position = from; position < FileLength; position += block.Length)
        {
            var read = file.Read(position, block.AsSpan(0, (int)Math.Min(block.Length, FileLength - position)));
            var last = block.AsSpan(0, read).LastIndexOfAnyExcept((byte)0);
            if (last >= 0)
            {
                end = position + last + 1;
            }

            if (read == 0)
            {
                break;
            }
        }

        return end;
    }
}
