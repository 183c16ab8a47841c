using System.Buffers.Binary;
using Actors.Checksums;
using Actors.Wal.Format;

namespace Actors.Crash.Tests.Engine.Support;

/// <summary>
/// Seeded structure-aware mutations of a log directory image: bit flips, byte stores, interesting integers in header
/// fields, truncation, extension, splices across files, deleted/duplicated/replaced files, and (half the time)
/// recomputed CRCs so mutated fields get past the checksums and reach the parsers.
/// </summary>
internal static class Mutator
{
    private static readonly long[] Interesting =
    [
        0, 1, -1, 47, 48, 63, 64, 65, 255, 256, 1024, 1025, 4096, 65535, 65536, 0x7FFF, 0x8000, 0xFFFF,
        int.MaxValue, int.MinValue, int.MaxValue - 7, 0x7FFFFFF0, uint.MaxValue, long.MaxValue, long.MinValue, 1L << 32, (1L << 32) + 64,
    ];

    /// <summary>Record header fields: (offset, size).</summary>
    private static readonly (int Offset, int Size)[] RecordFields = [(0, 4), (8, 1), (9, 1), (10, 2), (12, 4), (16, 8), (24, 8), (32, 8), (40, 8)];

    /// <summary>Snapshot header fields: flags, recovery point segment and offset, next LSN, stream and segment counts.</summary>
    private static readonly (int Offset, int Size)[] SnapshotFields = [(4, 2), (6, 2), (8, 4), (12, 4), (16, 8), (24, 8), (32, 4), (36, 4)];

    /// <summary>Segment header fields.</summary>
    private static readonly (int Offset, int Size)[] SegmentFields = [(4, 2), (6, 2), (8, 4), (12, 4), (16, 8), (24, 8), (32, 8)];

    public static Dictionary<string, byte[]> Mutate(IReadOnlyDictionary<string, byte[]> baseImage, Random random, bool fixCrcs)
    {
        var image = baseImage.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        var touched = new HashSet<string>(StringComparer.Ordinal);
        int count = random.Next(1, 5);
        for (int i = 0; i < count && image.Count > 0; i++)
        {
            string[] names = [.. image.Keys.Order(StringComparer.Ordinal)];
            string name = names[random.Next(names.Length)];
            byte[] bytes = (byte[])image[name].Clone();
            touched.Add(name);
            switch (random.Next(12))
            {
                case 0:
                case 1:
                    for (int f = random.Next(1, 9); f > 0 && bytes.Length > 0; f--)
                    {
                        bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
                    }

                    break;
                case 2:
                    for (int f = random.Next(1, 5); f > 0 && bytes.Length > 0; f--)
                    {
                        bytes[random.Next(bytes.Length)] = (byte)(random.Next(4) switch { 0 => 0, 1 => 0xFF, 2 => 0x80, _ => random.Next(256) });
                    }

                    break;
                case 3:
                case 4:
                    StoreInField(bytes, name, random);
                    break;
                case 5:
                    bytes = bytes.AsSpan(0, random.Next(bytes.Length + 1)).ToArray();
                    break;
                case 6:
                    byte[] extra = new byte[random.Next(1, 2048)];
                    if (random.Next(2) == 0)
                    {
                        random.NextBytes(extra);
                    }

                    bytes = [.. bytes, .. extra];
                    break;
                case 7:
                    byte[] source = image[names[random.Next(names.Length)]];
                    if (source.Length > 0 && bytes.Length > 0)
                    {
                        int from = random.Next(source.Length);
                        int to = random.Next(bytes.Length);
                        int n = Math.Min(random.Next(1, 600), Math.Min(source.Length - from, bytes.Length - to));
                        source.AsSpan(from, n).CopyTo(bytes.AsSpan(to));
                    }

                    break;
                case 8:
                    image.Remove(name);
                    continue;
                case 9:
                    uint id = (uint)random.Next(0, 12);
                    image[Path.Combine(FuzzCorpus.Directory, SegmentHeader.FileName(id))] = bytes;
                    continue;
                case 10:
                    bytes = new byte[random.Next(0, 4096)];
                    random.NextBytes(bytes);
                    break;
                default:
                    if (bytes.Length > 0)
                    {
                        int at = random.Next(bytes.Length);
                        Array.Clear(bytes, at, Math.Min(random.Next(1, 1024), bytes.Length - at));
                    }

                    break;
            }

            image[name] = bytes;
        }

        if (fixCrcs && random.Next(2) == 0)
        {
            foreach (string name in touched.Where(image.ContainsKey))
            {
                image[name] = FixCrcs(image[name], name);
            }
        }

        return image;
    }

    private static void StoreInField(byte[] bytes, string name, Random random)
    {
        long value = Interesting[random.Next(Interesting.Length)] + (random.Next(4) == 0 ? random.Next(-3, 4) : 0);
        int offset;
        int size;
        if (name.EndsWith(".snapshot", StringComparison.Ordinal))
        {
            (offset, size) = random.Next(3) > 0 ? SnapshotFields[random.Next(SnapshotFields.Length)] : (random.Next(Math.Max(1, bytes.Length)), 8);
        }
        else if (random.Next(4) == 0)
        {
            (offset, size) = SegmentFields[random.Next(SegmentFields.Length)];
        }
        else
        {
            var starts = RecordStarts(bytes);
            long start = starts.Count > 0 ? starts[random.Next(starts.Count)] : SegmentHeader.Size;
            var field = RecordFields[random.Next(RecordFields.Length)];
            offset = (int)Math.Min(int.MaxValue, start + field.Offset);
            size = field.Size;
        }

        if (offset < 0 || offset + size > bytes.Length)
        {
            return;
        }

        Span<byte> target = bytes.AsSpan(offset, size);
        switch (size)
        {
            case 1:
                target[0] = (byte)value;
                break;
            case 2:
                BinaryPrimitives.WriteUInt16LittleEndian(target, (ushort)value);
                break;
            case 4:
                BinaryPrimitives.WriteUInt32LittleEndian(target, (uint)value);
                break;
            default:
                BinaryPrimitives.WriteInt64LittleEndian(target, value);
                break;
        }
    }

    /// <summary>Offsets of the records of a segment image, following the length fields while they are plausible.</summary>
    public static List<long> RecordStarts(byte[] segment)
    {
        var starts = new List<long>();
        long offset = SegmentHeader.Size;
        while (offset + RecordHeader.Size <= segment.Length && starts.Count < 100_000)
        {
            int length = BinaryPrimitives.ReadInt32LittleEndian(segment.AsSpan((int)offset));
            if (length < RecordHeader.Size || offset + length > segment.Length)
            {
                break;
            }

            starts.Add(offset);
            offset += length;
        }

        return starts;
    }

    /// <summary>Recomputes the checksums a file carries so that mutated fields reach the parsers.</summary>
    private static byte[] FixCrcs(byte[] bytes, string name)
    {
        if (name.EndsWith(".snapshot", StringComparison.Ordinal))
        {
            if (bytes.Length >= 8)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(bytes.Length - 4), Crc32C.Compute(bytes.AsSpan(0, bytes.Length - 4)));
            }

            return bytes;
        }

        if (bytes.Length >= SegmentHeader.Size)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(60), Crc32C.Compute(bytes.AsSpan(0, 60)));
        }

        foreach (long start in RecordStarts(bytes))
        {
            int length = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan((int)start));
            RecordCodec.SealCrc(bytes.AsSpan((int)start, length), SegmentHeader.ReadRecordSalt(bytes));
        }

        return bytes;
    }
}
