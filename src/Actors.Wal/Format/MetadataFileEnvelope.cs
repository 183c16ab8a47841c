using System.Buffers.Binary;

namespace Actors.Wal.Format;

/// <summary>
/// The envelope the log's small metadata files share (<c>index.snapshot</c>, <c>segments.manifest</c>,
/// <c>changefeed.readers</c>): u32 magic, u16 version and u16 minimum compatible version at offset 0, the file's own
/// fields, and a CRC32C of every preceding byte in the last 4 bytes.
/// </summary>
internal static class MetadataFileEnvelope
{
    /// <summary>The whole content of the metadata file at <paramref name="path"/>, or null when there is none.</summary>
    public static byte[]? ReadIfExists(IO.IFileSystem fileSystem, string path)
    {
        if (!fileSystem.FileExists(path))
        {
            return null;
        }

        using IO.IWalFile file = fileSystem.OpenFile(path, IO.WalFileMode.OpenReadOnly);
        return Recovery.RecoverySnapshot.ReadAll(file);
    }

    /// <summary>
    /// Checks the magic, the length (at least <paramref name="headerSize"/> plus the CRC), the checksum and that this
    /// reader (<paramref name="currentVersion"/>) may read the file; false with the reason otherwise.
    /// <paramref name="version"/> and <paramref name="minVersion"/> are set once the checksum passed.
    /// </summary>
    public static bool TryOpen(ReadOnlySpan<byte> data, uint magic, int headerSize, ushort currentVersion, out ushort version, out ushort minVersion, out string? reason)
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
}
