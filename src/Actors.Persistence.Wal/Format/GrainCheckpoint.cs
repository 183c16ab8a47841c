using System.Buffers.Binary;
using System.Text;

namespace Actors.Persistence.Wal.Format;

/*
 * Grain checkpoint envelope: the state bytes of one checkpoint record of a grain's stream. The engine stores
 * the version the checkpoint covers; this envelope holds every state part of the grain at that version.
 * All integers little-endian.
 *
 *   offset  size  field
 *   0       1     Magic 0xA8
 *   1       1     FormatVersion (1)
 *   2       1     MinCompatibleVersion (1)
 *   3       1     Reserved (0)
 *   4       4     EntryCount (u32)
 *   then EntryCount entries, each:
 *   +0      1     Kind (1 = journal state, 2 = named persistent state, 3 = cleared named state)
 *   +1      2     N = name length in UTF-8 bytes (u16); 0 for the journal
 *   +3      N     Name (UTF-8)
 *   +3+N    8     Version (i64): journal = version covered; named state = stream version of its last write (etag)
 *   +11+N   4     P = payload length (u32)
 *   +15+N   P     Payload: the codec's bytes for the state
 *
 * Compressed checkpoint (format version 2; written only with RecordCompression.Brotli and only when Brotli shrinks it):
 *
 *   0       1     Magic 0xA8
 *   1       1     FormatVersion (2)
 *   2       1     MinCompatibleVersion (2): a version 1 reader refuses it (never misreads it)
 *   3       1     Flags: bit 0 = compressed (set)
 *   4       4     U = the uncompressed length (u32, at most 1 GiB)
 *   8       rest  Brotli of the whole version 1 envelope above (U bytes)
 */

/// <summary>Writes and parses grain checkpoint envelopes. See the format comment at the top of this file.</summary>
public static class GrainCheckpoint
{
    /// <summary>The first byte of every grain checkpoint.</summary>
    public const byte Magic = 0xA8;

    /// <summary>The format version this build writes.</summary>
    public const byte FormatVersion = 1;

    /// <summary>The oldest reader version that can read what this build writes.</summary>
    public const byte MinCompatibleVersion = 1;

    /// <summary>The format version (and minimum reader version) of a compressed checkpoint.</summary>
    public const byte CompressedFormatVersion = 2;

    /// <summary>The flag bit (byte 3) of a compressed checkpoint.</summary>
    public const byte CompressedFlag = 0x01;

    private const int HeaderSize = 8;

    /// <summary>
    /// Encodes <paramref name="entries"/>: compressed (format version 2) when <paramref name="compression"/> asks for it and
    /// Brotli shrinks the envelope, otherwise exactly as <see cref="ToArray(IReadOnlyList{CheckpointEntry})"/>.
    /// </summary>
    public static byte[] ToArray(IReadOnlyList<CheckpointEntry> entries, RecordCompression compression)
    {
        byte[] plain = ToArray(entries);
        if (compression == RecordCompression.None || !GrainRecordCompression.TryCompress(plain, out byte[] compressed, out int length) || length + HeaderSize >= plain.Length)
        {
            return plain;
        }

        byte[] buffer = new byte[HeaderSize + length];
        buffer[0] = Magic;
        buffer[1] = CompressedFormatVersion;
        buffer[2] = CompressedFormatVersion;
        buffer[3] = CompressedFlag;
        BinaryPrimitives.WriteUInt32LittleEndian(buffer.AsSpan(4), (uint)plain.Length);
        compressed.AsSpan(0, length).CopyTo(buffer.AsSpan(HeaderSize));
        return buffer;
    }

    /// <summary>Encodes <paramref name="entries"/> into a new array.</summary>
    public static byte[] ToArray(IReadOnlyList<CheckpointEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        int size = HeaderSize;
        foreach (CheckpointEntry entry in entries)
        {
            size += 15 + Encoding.UTF8.GetByteCount(entry.Name) + entry.Payload.Length;
        }

        byte[] buffer = new byte[size];
        Span<byte> span = buffer;
        span[0] = Magic;
        span[1] = FormatVersion;
        span[2] = MinCompatibleVersion;
        BinaryPrimitives.WriteUInt32LittleEndian(span[4..], (uint)entries.Count);
        int offset = HeaderSize;
        foreach (CheckpointEntry entry in entries)
        {
            span[offset++] = (byte)entry.Kind;
            offset += GrainRecord.WriteString(span[offset..], entry.Name);
            BinaryPrimitives.WriteInt64LittleEndian(span[offset..], entry.Version);
            BinaryPrimitives.WriteUInt32LittleEndian(span[(offset + 8)..], (uint)entry.Payload.Length);
            offset += 12;
            entry.Payload.Span.CopyTo(span[offset..]);
            offset += entry.Payload.Length;
        }

        return buffer;
    }

    /// <summary>Parses a checkpoint (either version); payloads are slices of <paramref name="source"/> or of its decompressed bytes.</summary>
    public static bool TryRead(ReadOnlyMemory<byte> source, out IReadOnlyList<CheckpointEntry> entries, out string error)
        => TryRead(source, allowCompressed: true, out entries, out error);

    private static bool TryRead(ReadOnlyMemory<byte> source, bool allowCompressed, out IReadOnlyList<CheckpointEntry> entries, out string error)
    {
        entries = [];
        ReadOnlySpan<byte> span = source.Span;
        if (span.Length < HeaderSize || span[0] != Magic)
        {
            error = $"the checkpoint does not start with the grain checkpoint magic 0x{Magic:X2}.";
            return false;
        }

        if (span[2] > CompressedFormatVersion)
        {
            error = $"the checkpoint has format version {span[1]} and needs a reader of version {span[2]} or later; this build reads version {CompressedFormatVersion}.";
            return false;
        }

        if (span[1] >= CompressedFormatVersion && (span[3] & CompressedFlag) != 0)
        {
            if (!allowCompressed)
            {
                error = "a compressed checkpoint holds another compressed checkpoint.";
                return false;
            }

            if (!GrainRecordCompression.TryDecompress(span[4..], out byte[] plain, out error))
            {
                error = $"the compressed checkpoint is damaged: {error}";
                return false;
            }

            return TryRead(plain, allowCompressed: false, out entries, out error);
        }

        uint count = BinaryPrimitives.ReadUInt32LittleEndian(span[4..]);
        var list = new List<CheckpointEntry>((int)Math.Min(count, 64));
        int offset = HeaderSize;
        for (uint i = 0; i < count; i++)
        {
            if (span.Length - offset < 1)
            {
                error = $"entry {i} runs past the end of the checkpoint.";
                return false;
            }

            var kind = (GrainRecordKind)span[offset++];
            if (kind is not (GrainRecordKind.JournalEvent or GrainRecordKind.StateWrite or GrainRecordKind.StateClear)
                || !GrainRecord.TryReadString(span, ref offset, out string name)
                || span.Length - offset < 12)
            {
                error = $"entry {i} is malformed.";
                return false;
            }

            long version = BinaryPrimitives.ReadInt64LittleEndian(span[offset..]);
            uint length = BinaryPrimitives.ReadUInt32LittleEndian(span[(offset + 8)..]);
            offset += 12;
            if ((uint)(span.Length - offset) < length)
            {
                error = $"the payload of entry {i} runs past the end of the checkpoint.";
                return false;
            }

            list.Add(new CheckpointEntry(kind, name, version, source.Slice(offset, (int)length)));
            offset += (int)length;
        }

        entries = list;
        error = "";
        return true;
    }
}
