using System.Buffers.Binary;
using Actors.Checksums;
using Actors.Wal.IO;

namespace Actors.Wal.Format;

/// <summary>
/// One kind of the log's small metadata files (<c>index.snapshot</c>, <c>segments.manifest</c>,
/// <c>changefeed.readers</c>, <c>erasure.scans</c>) and the shape they share. Envelope: u32 magic, u16 version and u16
/// minimum compatible version at offset 0, the file's own fields from offset 8, and a CRC32C of every preceding byte in
/// the last 4 bytes (all little-endian). Each file is written whole (<see cref="Replace"/>: "name.tmp", fsync, rename
/// over "name", fsync the directory) and read whole (<see cref="TryLoad{T}"/>). Immutable; shared by every thread.
/// </summary>
/// <param name="fileName">The file name in the log directory.</param>
/// <param name="magic">The first four bytes.</param>
/// <param name="currentVersion">The format version this build writes and reads.</param>
/// <param name="headerSize">The bytes before the file's variable part (the envelope's 8 and the file's fixed fields).</param>
internal sealed class MetadataFileEnvelope(string fileName, uint magic, ushort currentVersion, int headerSize)
{
    /// <summary>Parses a file's whole content: null with a reason when damaged; the versions once the checksum held.</summary>
    public delegate T? Parser<T>(ReadOnlySpan<byte> data, out string? reason, out ushort version, out ushort minVersion);

    /// <summary>The file name in the log directory.</summary>
    public string FileName => fileName;

    /// <summary>The temporary file name used while writing.</summary>
    public string TempFileName { get; } = fileName + ".tmp";

    /// <summary>The format version this build writes and reads.</summary>
    public ushort CurrentVersion => currentVersion;

    /// <summary>The file's path in <paramref name="directory"/>.</summary>
    public string PathIn(string directory) => Path.Combine(directory, fileName);

    /// <summary>
    /// A new file's bytes: the envelope header (version <see cref="CurrentVersion"/>, minimum compatible
    /// <paramref name="minVersion"/>, or the current version), <paramref name="bodyBytes"/> after the header, the CRC's
    /// 4. The caller fills the fields from offset 8 and calls <see cref="Seal"/>.
    /// </summary>
    public byte[] Create(long bodyBytes, ushort? minVersion = null)
    {
        byte[] data = new byte[checked((int)(headerSize + bodyBytes + 4))];
        BinaryPrimitives.WriteUInt32LittleEndian(data, magic);
        BinaryPrimitives.WriteUInt16LittleEndian(data.AsSpan(4), currentVersion);
        BinaryPrimitives.WriteUInt16LittleEndian(data.AsSpan(6), minVersion ?? currentVersion);
        return data;
    }

    /// <summary>Writes the CRC32C of every preceding byte into the last 4 bytes of <paramref name="data"/>.</summary>
    public static byte[] Seal(byte[] data)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(data.Length - 4), Crc32C.Compute(data.AsSpan(0, data.Length - 4)));
        return data;
    }

    /// <summary>
    /// Checks the magic, the length (at least the header plus the CRC), the checksum and that this reader may read the
    /// file; false with the reason otherwise. <paramref name="version"/> and <paramref name="minVersion"/> are set once
    /// the checksum passed.
    /// </summary>
    public bool TryOpen(ReadOnlySpan<byte> data, out ushort version, out ushort minVersion, out string? reason)
    {
        version = 0;
        minVersion = 0;
        if (data.Length < headerSize + 4 || BinaryPrimitives.ReadUInt32LittleEndian(data) != magic)
        {
            reason = "bad magic or too short";
            return false;
        }

        if (BinaryPrimitives.ReadUInt32LittleEndian(data[^4..]) != Crc32C.Compute(data[..^4]))
        {
            reason = "checksum mismatch";
            return false;
        }

        version = BinaryPrimitives.ReadUInt16LittleEndian(data[4..]);
        minVersion = BinaryPrimitives.ReadUInt16LittleEndian(data[6..]);
        if (minVersion > currentVersion)
        {
            reason = $"written by incompatible format version {version}";
            return false;
        }

        reason = null;
        return true;
    }

    /// <summary>The file's whole content in <paramref name="directory"/>, or null when there is none.</summary>
    public byte[]? ReadIfExists(IFileSystem fileSystem, string directory)
    {
        string path = PathIn(directory);
        if (!fileSystem.FileExists(path))
        {
            return null;
        }

        using IWalFile file = fileSystem.OpenFile(path, WalFileMode.OpenReadOnly);
        return ReadAll(file);
    }

    /// <summary>
    /// Reads and parses the file in <paramref name="directory"/>: false when there is none; else true with
    /// <paramref name="value"/>, or null and <paramref name="damage"/> saying why when the file is damaged.
    /// </summary>
    /// <exception cref="UnsupportedFormatVersionException">The file is intact but needs a newer reader.</exception>
    public bool TryLoad<T>(IFileSystem fileSystem, string directory, Parser<T> parse, out T? value, out string? damage)
        where T : class
    {
        value = null;
        damage = null;
        if (ReadIfExists(fileSystem, directory) is not { } data)
        {
            return false;
        }

        value = parse(data, out damage, out ushort version, out ushort minVersion);
        if (value is null && minVersion > currentVersion)
        {
            throw new UnsupportedFormatVersionException(PathIn(directory), version, minVersion, currentVersion);
        }

        return true;
    }

    /// <summary>Replaces the file in <paramref name="directory"/> durably with <paramref name="data"/> (see <see cref="DurableFile"/>).</summary>
    public void Replace(IFileSystem fileSystem, string directory, byte[] data)
        => DurableFile.Replace(fileSystem, directory, fileName, TempFileName, data);

    /// <summary>Reads a whole file into an array (metadata files are small and read once).</summary>
    public static byte[] ReadAll(IWalFile file)
    {
        long length = file.Length;
        if (length > int.MaxValue)
        {
            return [];
        }

        byte[] data = new byte[length];
        int n = file.Read(0, data);
        return n == data.Length ? data : data[..n];
    }
}
