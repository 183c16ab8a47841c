using System.Buffers.Binary;
using System.Text;
using Actors.Wal.Format;
using Actors.Wal.IO;
using Actors.Wal.Recovery;

namespace Actors.Wal.ChangeFeed;

/*
 * Retained change-feed readers "changefeed.readers": every registered retention (WriteAheadLog.RetainChanges) and its
 * position, so a reader keeps its segments across a restart or a crash. Rewritten whole as "changefeed.readers.tmp",
 * fsync, rename, fsync the directory (DurableFile): at each registration and disposal, at each space-management pass
 * that finds a position moved or a reader dropped, and at clean close. A position on disk is never later than the
 * reader's own (Advance moves it only after the reader stored it), so after a crash a reader retains more, never less.
 * All integers little-endian. Format version 1:
 *
 *   offset size field
 *   0      4    Magic                 0x52434657
 *   4      2    Version               1
 *   6      2    MinCompatibleVersion  1
 *   8      4    ReaderCount
 *   12     ...  ReaderCount x { u16 NameLength | NameLength bytes UTF-8 name | i64 Lsn | i64 Address }
 *   end-4  4    CRC32C of every preceding byte
 */

/// <summary>Reads and writes the retained readers file (layout above).</summary>
internal static class RetainedReadersFile
{
    /// <summary>The file name in the log directory.</summary>
    public const string FileName = "changefeed.readers";

    /// <summary>The temporary file name used while writing.</summary>
    public const string TempFileName = "changefeed.readers.tmp";

    /// <summary>The format version this build writes and reads.</summary>
    public const ushort CurrentVersion = 1;

    private const uint Magic = 0x52434657;
    private const int HeaderSize = 12;

    /// <summary>Serializes <paramref name="readers"/>.</summary>
    public static byte[] Serialize(IReadOnlyList<(string Name, ChangeFeedPosition Position)> readers)
    {
        var buffer = new MemoryStream();
        Span<byte> scratch = stackalloc byte[8];
        BinaryPrimitives.WriteUInt32LittleEndian(scratch, Magic);
        buffer.Write(scratch[..4]);
        BinaryPrimitives.WriteUInt16LittleEndian(scratch, CurrentVersion);
        BinaryPrimitives.WriteUInt16LittleEndian(scratch[2..], CurrentVersion);
        buffer.Write(scratch[..4]);
        BinaryPrimitives.WriteInt32LittleEndian(scratch, readers.Count);
        buffer.Write(scratch[..4]);
        foreach ((string name, ChangeFeedPosition position) in readers)
        {
            byte[] bytes = Encoding.UTF8.GetBytes(name);
            BinaryPrimitives.WriteUInt16LittleEndian(scratch, checked((ushort)bytes.Length));
            buffer.Write(scratch[..2]);
            buffer.Write(bytes);
            BinaryPrimitives.WriteInt64LittleEndian(scratch, position.Lsn);
            buffer.Write(scratch);
            BinaryPrimitives.WriteInt64LittleEndian(scratch, position.Address);
            buffer.Write(scratch);
        }

        BinaryPrimitives.WriteUInt32LittleEndian(scratch, Crc32C.Compute(buffer.GetBuffer().AsSpan(0, (int)buffer.Length)));
        buffer.Write(scratch[..4]);
        return buffer.ToArray();
    }

    /// <summary>
    /// The readers stored in <paramref name="directory"/>: none when the file is missing; none with
    /// <paramref name="note"/> saying why when it is damaged (those readers then hold nothing until they register again).
    /// </summary>
    /// <exception cref="UnsupportedFormatVersionException">The file needs a newer reader.</exception>
    public static List<(string Name, ChangeFeedPosition Position)> Load(IFileSystem fileSystem, string directory, out string? note)
    {
        note = null;
        string path = Path.Combine(directory, FileName);
        if (MetadataFileEnvelope.ReadIfExists(fileSystem, path) is not { } data)
        {
            return [];
        }

        List<(string, ChangeFeedPosition)>? readers = TryParse(data, out string? reason, out ushort version, out ushort minVersion);
        if (readers is null && minVersion > CurrentVersion)
        {
            throw new UnsupportedFormatVersionException(path, version, minVersion, CurrentVersion);
        }

        if (readers is null)
        {
            note = $"{path}: {reason}; ignored: retained change-feed readers hold no segments until they register again (a reader whose changes were reclaimed meanwhile gets a ChangeFeedGapException).";
            return [];
        }

        return readers;
    }

    /// <summary>Parses the file; null with a reason when damaged (<paramref name="minVersion"/> set when it needs a newer reader).</summary>
    public static List<(string Name, ChangeFeedPosition Position)>? TryParse(ReadOnlySpan<byte> data, out string? reason, out ushort version, out ushort minVersion)
    {
        if (!MetadataFileEnvelope.TryOpen(data, Magic, HeaderSize, CurrentVersion, out version, out minVersion, out reason))
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
