using System.Buffers.Binary;
using Actors.Wal.Format;
using Actors.Wal.IO;

namespace Actors.Wal.Segments;

/// <summary>
/// Sequential, read-only access to the records of one segment file through a sliding buffer. Used by recovery
/// and by the inspection API (<see cref="Inspection.LogInspector"/>): it never modifies the file.
/// </summary>
internal sealed class SegmentReader
{
    private const int WindowSize = 1024 * 1024;
    private readonly IWalFile _file;
    private readonly long _maxRecordLength;
    private byte[] _buffer;
    private long _bufferStart;
    private int _bufferLength;
    private uint[]? _salts;

    /// <summary>Reads <paramref name="file"/>; records longer than <paramref name="maxRecordLength"/> are damage.</summary>
    public SegmentReader(IWalFile file, long maxRecordLength)
    {
        _file = file;
        _maxRecordLength = maxRecordLength;
        FileLength = file.Length;

        // No larger than the file: a window covers the whole of a small segment (a test's 64 KiB one, a short tail) without
        // a 1 MiB buffer per reader, which recovery creates for every segment and spare on every open.
        _buffer = new byte[(int)Math.Clamp(FileLength, 0, WindowSize)];
    }

    /// <summary>The file length when the reader was created.</summary>
    public long FileLength { get; }

    /// <summary>Reads and validates the header of the segment.</summary>
    public SegmentHeaderStatus ReadHeader(out SegmentHeader header, out ushort version, out ushort minCompatibleVersion)
    {
        ReadOnlySpan<byte> span = Window(0, SegmentHeader.Size).Span;
        return SegmentHeader.TryRead(span, out header, out version, out minCompatibleVersion);
    }

    /// <summary>Decodes whatever is at <paramref name="offset"/>.</summary>
    public ScanStatus ReadAt(long offset, out ScannedRecord record)
    {
        _salts ??= ResolveSalts(); // before any window is taken: resolving moves the buffer
        record = new ScannedRecord(offset, default, ReadOnlyMemory<byte>.Empty, null);
        long remaining = FileLength - offset;
        if (remaining <= 0)
        {
            return ScanStatus.EndOfFile;
        }

        ReadOnlyMemory<byte> head = Window(offset, (int)Math.Min(RecordHeader.Size, remaining));
        if (head.Length < 4 || BinaryPrimitives.ReadInt32LittleEndian(head.Span) == 0)
        {
            if (IsZeroFrom(offset))
            {
                return ScanStatus.End;
            }

            record = record with { Damage = "a zero or cut-off length field is followed by non-zero bytes" };
            return ScanStatus.Damaged;
        }

        if (!RecordHeader.TryRead(head.Span, Math.Min(_maxRecordLength, remaining), out var header, out string? reason))
        {
            record = record with { Damage = reason };
            return ScanStatus.Damaged;
        }

        ReadOnlyMemory<byte> bytes = Window(offset, header.Length);
        if (!CrcMatches(bytes.Span))
        {
            record = record with { Header = header, Damage = $"the CRC of a {header.Type} record of {header.Length} bytes does not match" };
            return ScanStatus.Damaged;
        }

        record = new ScannedRecord(offset, header, bytes, null);
        return ScanStatus.Record;
    }

    /// <summary>
    /// What a damaged record's header says (unverified: the record failed its checksum or is cut off): its header
    /// and the stream id it names, or false when no plausible header is there.
    /// </summary>
    public bool TryPeek(long offset, out RecordHeader header, out string? streamId)
    {
        streamId = null;
        ReadOnlySpan<byte> head = Window(offset, (int)Math.Min(RecordHeader.Size, Math.Max(0, FileLength - offset))).Span;
        if (!RecordHeader.TryRead(head, _maxRecordLength, out header, out _))
        {
            return false;
        }

        if (header.StreamIdLength > 0 && offset + RecordHeader.Size + header.StreamIdLength <= FileLength)
        {
            streamId = System.Text.Encoding.UTF8.GetString(Window(offset + RecordHeader.Size, header.StreamIdLength).Span);
        }

        return true;
    }

    /// <summary>True when every byte from <paramref name="offset"/> to the end of the file is zero.</summary>
    public bool IsZeroFrom(long offset)
    {
        for (long o = offset; o < FileLength; o += WindowSize)
        {
            ReadOnlyMemory<byte> chunk = Window(o, (int)Math.Min(WindowSize, FileLength - o));
            if (chunk.Span.IndexOfAnyExcept((byte)0) >= 0)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The offset just after the last non-zero byte of the file at or after <paramref name="offset"/> (or <paramref name="offset"/>).</summary>
    public long NonZeroEnd(long offset)
    {
        long end = offset;
        for (long o = offset; o < FileLength; o += WindowSize)
        {
            ReadOnlyMemory<byte> chunk = Window(o, (int)Math.Min(WindowSize, FileLength - o));
            int last = chunk.Span.LastIndexOfAnyExcept((byte)0);
            if (last >= 0)
            {
                end = o + last + 1;
            }
        }

        return end;
    }

    /// <summary>The offset of the first valid record (header plausible, CRC matching) after <paramref name="offset"/>, or -1.</summary>
    public long FindNextValidRecord(long offset)
    {
        long p = offset + 1;
        while (p + RecordHeader.Size <= FileLength)
        {
            ReadOnlyMemory<byte> chunk = Window(p, (int)Math.Min(WindowSize, FileLength - p));
            int nonZero = chunk.Span.IndexOfAnyExcept((byte)0);
            if (nonZero < 0)
            {
                p += chunk.Length;
                continue;
            }

            // A length field's first bytes may be zero; start up to 3 bytes before the first non-zero byte.
            long candidateStart = Math.Max(p, p + nonZero - 3);
            for (long c = candidateStart; c <= p + nonZero; c++)
            {
                if (IsValidRecordAt(c))
                {
                    return c;
                }
            }

            p = p + nonZero + 1;
        }

        return -1;
    }

    /// <summary>Enumerates every record and damage of the segment from the first record on (tests read segments with it).</summary>
    /// <remarks>After damage the enumeration resynchronizes at the next valid record, as salvage recovery does.</remarks>
    public IEnumerable<ScannedRecord> ReadAll()
    {
        long offset = SegmentHeader.Size;
        while (true)
        {
            var status = ReadAt(offset, out var record);
            if (status is ScanStatus.End or ScanStatus.EndOfFile)
            {
                yield break;
            }

            if (status == ScanStatus.Damaged)
            {
                yield return new ScannedRecord(record.Offset, record.Header, ReadOnlyMemory<byte>.Empty, record.Damage);
                long next = FindNextValidRecord(offset);
                if (next < 0)
                {
                    yield break;
                }

                offset = next;
                continue;
            }

            yield return record;
            if (record.Header.Type == RecordType.Seal)
            {
                yield break; // nothing of this segment follows a seal (a recycled file's older records may)
            }

            offset += record.Header.Length;
        }
    }

    private bool IsValidRecordAt(long offset)
    {
        _salts ??= ResolveSalts();
        if (offset + RecordHeader.Size > FileLength)
        {
            return false;
        }

        ReadOnlySpan<byte> head = Window(offset, RecordHeader.Size).Span;
        if (!RecordHeader.TryRead(head, Math.Min(_maxRecordLength, FileLength - offset), out var header, out _))
        {
            return false;
        }

        return CrcMatches(Window(offset, header.Length).Span);
    }

    /// <summary>
    /// True when the record's CRC matches under the segment's record salt: the header's when it is readable; else (a
    /// damaged header) the salt a current-format segment of the file's name has, or none (older formats), so that
    /// damage is never mistaken for the absence of records.
    /// </summary>
    private bool CrcMatches(ReadOnlySpan<byte> record)
    {
        foreach (uint salt in _salts!)
        {
            if (RecordCodec.CrcMatches(record, salt))
            {
                return true;
            }
        }

        return false;
    }

    private uint[] ResolveSalts()
    {
        if (SegmentHeader.TryRead(Window(0, SegmentHeader.Size).Span, out var header, out _, out _) is SegmentHeaderStatus.Ok or SegmentHeaderStatus.UnsupportedVersion)
        {
            return [header.RecordSalt];
        }

        string name = Path.GetFileName(_file.Path);
        return name.Length >= 14 && SegmentHeader.TryParseFileName(name[..14], out uint id) && id != 0 ? [0, id] : [0];
    }

    private ReadOnlyMemory<byte> Window(long offset, int count)
    {
        if (offset >= _bufferStart && offset + count <= _bufferStart + _bufferLength)
        {
            return _buffer.AsMemory((int)(offset - _bufferStart), count);
        }

        if (count > _buffer.Length)
        {
            _buffer = new byte[count];
        }

        int want = (int)Math.Min(_buffer.Length, Math.Max(0, FileLength - offset));
        _bufferStart = offset;
        _bufferLength = _file.Read(offset, _buffer.AsSpan(0, Math.Max(want, 0)));
        return _buffer.AsMemory(0, Math.Min(count, _bufferLength));
    }
}
