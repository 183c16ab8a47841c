using System.Buffers.Binary;
using System.Text;
using Actors.Wal.Format;
using Actors.Wal.IO;

namespace Actors.Wal.ChangeFeed;

/*
 * Retained change-feed readers "changefeed.readers": every registered retention (WriteAheadLog.RetainChanges) and its
 * position, so a reader keeps its segments across a restart or a crash. Rewritten whole (MetadataFileEnvelope.Replace):
 * at each registration and disposal, at each space-management pass that finds a position moved or a reader dropped,
 * and at clean close. A position on disk is never later than the reader's own (Advance moves it only after the reader
 * stored it), so after a crash a reader retains more, never less. Envelope magic 0x52434657, format version 1; after
 * the envelope's 8 bytes: u32 ReaderCount, then ReaderCount x { u16 NameLength | NameLength bytes UTF-8 name | i64 Lsn
 * | i64 Address }.
 */

/// <summary>Reads and writes the retained readers file (layout above).</summary>
internal static class RetainedReadersFile
{
    /// <summary>The file name in the log directory.</summary>
    public const string FileName = "changefeed.readers";

    private const int HeaderSize = 12;

    /// <summary>The file's kind: name, envelope, version 1.</summary>
    internal static readonly MetadataFileEnvelope Envelope = new(FileName, 0x52434657, 1, HeaderSize);

    /// <summary>Serializes <paramref name="readers"/>.</summary>
    public static byte[] Serialize(IReadOnlyList<(string Name, ChangeFeedPosition Position)> readers)
    {
        byte[][] names = readers.Select(r => Encoding.UTF8.GetBytes(r.Name)).ToArray();
        byte[] data = Envelope.Create(names.Sum(n => 2 + n.Length + 16));
        Span<byte> d = data;
        BinaryPrimitives.WriteInt32LittleEndian(d[8..], readers.Count);
        int o = HeaderSize;
        for (int i = 0; i < names.Length; i++)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(d[o..], checked((ushort)names[i].Length));
            names[i].CopyTo(d[(o + 2)..]);
            o += 2 + names[i].Length;
            BinaryPrimitives.WriteInt64LittleEndian(d[o..], readers[i].Position.Lsn);
            BinaryPrimitives.WriteInt64LittleEndian(d[(o + 8)..], readers[i].Position.Address);
            o += 16;
        }

        return MetadataFileEnvelope.Seal(data);
    }

    /// <summary>Writes <paramref name="readers"/> durably.</summary>
    public static void Write(IFileSystem fileSystem, string directory, IReadOnlyList<(string Name, ChangeFeedPosition Position)> readers)
        => Envelope.Replace(fileSystem, directory, Serialize(readers));

    /// <summary>
    /// The readers stored in <paramref name="directory"/>: none when the file is missing; none with
    /// <paramref name="note"/> saying why when it is damaged (those readers then hold nothing until they register again).
    /// </summary>
    /// <exception cref="UnsupportedFormatVersionException">The file needs a newer reader.</exception>
    public static List<(string Name, ChangeFeedPosition Position)> Load(IFileSystem fileSystem, string directory, out string? note)
    {
        if (!Envelope.TryLoad(fileSystem, directory, TryParse, out var readers, out string? damage))
        {
            note = null;
            return [];
        }

        note = readers is null ? $"{Envelope.PathIn(directory)}: {damage}; ignored: retained change-feed readers hold no segments until they register again (a reader whose changes were reclaimed meanwhile gets a ChangeFeedGapException)." : null;
        return readers ?? [];
    }

    /// <summary>Parses the file; null with a reason when damaged (<paramref name="minVersion"/> set when it needs a newer reader).</summary>
    public static List<(string Name, ChangeFeedPosition Position)>? TryParse(ReadOnlySpan<byte> data, out string? reason, out ushort version, out ushort minVersion)
    {
        if (!Envelope.TryOpen(data, out version, out minVersion, out reason))
        {
            return null;
        }

        int count = BinaryPrimitives.ReadInt32LittleEndian(data[8..]);
        ReadOnlySpan<byte> rest = data[HeaderSize..^4];
        var readers = new List<(string, ChangeFeedPosition)>(Math.Clamp(count, 0, 1024));
        for (int i = 0; i < count; i++)
        {
            if (rest.Length < 2 || rest.Length < 2 + BinaryPrimitives.ReadUInt16LittleEndian(rest) + 16)
            {
                reason = $"reader {i} of {count} is truncated";
                return null;
            }

            int length = BinaryPrimitives.ReadUInt16LittleEndian(rest);
            string name = Encoding.UTF8.GetString(rest.Slice(2, length));
            rest = rest[(2 + length)..];
            readers.Add((name, new ChangeFeedPosition(BinaryPrimitives.ReadInt64LittleEndian(rest), BinaryPrimitives.ReadInt64LittleEndian(rest[8..]))));
            rest = rest[16..];
        }

        if (count < 0 || !rest.IsEmpty)
        {
            reason = "reader count does not match the file's length";
            return null;
        }

        return readers;
    }
}
