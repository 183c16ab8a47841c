using System.Buffers.Binary;
using System.Text;

namespace Actors.Replication.Wal.Materialized;

/*
 * A materialized log's files as one checkpoint state (format version 1), all integers little-endian:
 *
 *   offset  size  field
 *   0       4     magic 0x534C4D41 ("AMLS")
 *   4       2     format version (1)
 *   6       2     file count N
 *   8       ...   N files, each:
 *                   2   name length L (1..255)
 *                   L   name, UTF-8: a plain file name (no directory separators, not "." or "..")
 *                   8   content length C
 *                   C   content
 *
 * Nothing follows the last file. No checksum of its own: the state is CRC32C-checked where it is stored (the entry log's
 * checkpoint file) and where it travels (the checkpoint transfer), and the restored log's recovery checks every record.
 */

/// <summary>Packs files into one checkpoint state and unpacks them (format in the comment at the top of the file).</summary>
public static class MaterializedLogArchive
{
    /// <summary>The magic number at offset 0.</summary>
    public const uint Magic = 0x534C4D41;

    /// <summary>The format version written.</summary>
    public const ushort Version = 1;

    private const int HeaderSize = 8;

    /// <summary>Packs <paramref name="files"/> (name, content) in the given order.</summary>
    /// <exception cref="ArgumentException">A name is not a plain file name of 1..255 UTF-8 bytes, there are more than 65,535
    /// files, or the state would be larger than one array holds (<see cref="Array.MaxLength"/> bytes: <see cref="SizeOf"/>).</exception>
    public static byte[] Write(IReadOnlyList<(string Name, ReadOnlyMemory<byte> Content)> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        if (files.Count > ushort.MaxValue)
        {
            throw new ArgumentException($"At most {ushort.MaxValue} files fit in one state; got {files.Count}.", nameof(files));
        }

        var names = new byte[files.Count][];
        long size = HeaderSize;
        for (var i = 0; i < files.Count; i++)
        {
            names[i] = Encoding.UTF8.GetBytes(files[i].Name);
            if (!IsPlainName(files[i].Name, names[i].Length))
            {
                throw new ArgumentException($"'{files[i].Name}' is not a plain file name of 1 to 255 UTF-8 bytes.", nameof(files));
            }

            size += 2 + names[i].Length + 8 + files[i].Content.Length;
        }

        if (size > Array.MaxLength)
        {
            throw new ArgumentException($"The state of these files would be {size} bytes; one state holds at most {Array.MaxLength}.", nameof(files));
        }

        var state = new byte[size];
        BinaryPrimitives.WriteUInt32LittleEndian(state, Magic);
        BinaryPrimitives.WriteUInt16LittleEndian(state.AsSpan(4), Version);
        BinaryPrimitives.WriteUInt16LittleEndian(state.AsSpan(6), (ushort)files.Count);
        var offset = HeaderSize;
        for (var i = 0; i < files.Count; i++)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(state.AsSpan(offset), (ushort)names[i].Length);
            names[i].CopyTo(state, offset + 2);
            offset += 2 + names[i].Length;
            BinaryPrimitives.WriteInt64LittleEndian(state.AsSpan(offset), files[i].Content.Length);
            files[i].Content.Span.CopyTo(state.AsSpan(offset + 8));
            offset += 8 + files[i].Content.Length;
        }

        return state;
    }

    /// <summary>The size in bytes of the state <see cref="Write"/> makes of files with these names and content lengths.</summary>
    public static long SizeOf(IEnumerable<(string Name, long ContentLength)> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        return HeaderSize + files.Sum(f => 2L + Encoding.UTF8.GetByteCount(f.Name) + 8 + f.ContentLength);
    }

    /// <summary>Unpacks a state written by <see cref="Write"/>.</summary>
    /// <exception cref="FormatException">The bytes are not such a state (wrong magic or version, a bad name, a length past the end, trailing bytes).</exception>
    public static IReadOnlyList<(string Name, ReadOnlyMemory<byte> Content)> Read(ReadOnlyMemory<byte> state)
    {
        var bytes = state.Span;
        if (bytes.Length < HeaderSize || BinaryPrimitives.ReadUInt32LittleEndian(bytes) != Magic)
        {
            throw new FormatException($"not a materialized log state (no magic number in its {bytes.Length} bytes)");
        }

        var version = BinaryPrimitives.ReadUInt16LittleEndian(bytes[4..]);
        if (version != Version)
        {
            throw new FormatException($"materialized log state of format version {version}; this build reads version {Version}");
        }

        var count = BinaryPrimitives.ReadUInt16LittleEndian(bytes[6..]);
        var files = new List<(string, ReadOnlyMemory<byte>)>(count);
        var offset = HeaderSize;
        for (var i = 0; i < count; i++)
        {
            if (bytes.Length - offset < 2)
            {
                throw new FormatException($"file {i} of {count}: its name length lies past the end ({bytes.Length} bytes)");
            }

            int nameLength = BinaryPrimitives.ReadUInt16LittleEndian(bytes[offset..]);
            offset += 2;
            if (bytes.Length - offset < nameLength + 8)
            {
                throw new FormatException($"file {i} of {count}: its name and length lie past the end ({bytes.Length} bytes)");
            }

            var name = Encoding.UTF8.GetString(bytes.Slice(offset, nameLength));
            if (!IsPlainName(name, nameLength))
            {
                throw new FormatException($"file {i} of {count}: '{name}' is not a plain file name");
            }

            offset += nameLength;
            var length = BinaryPrimitives.ReadInt64LittleEndian(bytes[offset..]);
            offset += 8;
            if (length < 0 || length > bytes.Length - offset)
            {
                throw new FormatException($"file '{name}': {length} bytes of content, but {bytes.Length - offset} remain");
            }

            files.Add((name, state.Slice(offset, (int)length)));
            offset += (int)length;
        }

        if (offset != bytes.Length)
        {
            throw new FormatException($"{bytes.Length - offset} bytes follow the last of {count} files");
        }

        return files;
    }

    private static bool IsPlainName(string name, int utf8Length)
        => utf8Length is >= 1 and <= 255
            && name is not "." and not ".."
            && name.IndexOfAny(['/', '\\', '\0']) < 0;
}
