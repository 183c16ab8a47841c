using Actors.Wal.IO;

namespace Actors.Wal.Entries;

/// <summary>
/// What both segment layouts do to the file of their active segment (<see cref="EntryLog"/>'s entries,
/// <see cref="Journal.EntryJournal"/>'s records): create it with a durable header, zero-fill a reserve ahead of its
/// records, cut that reserve when the segment is sealed (so that only the last segment may end in zeros), and delete it.
/// </summary>
/// <remarks>I/O errors propagate: the caller fails its log. Stateless: any thread, on a file its caller owns.</remarks>
internal static class EntrySegmentFile
{
    private static readonly byte[] ZeroBlock = new byte[64 * 1024];

    /// <summary>
    /// Creates <paramref name="path"/> holding <paramref name="header"/>, durably: the file is synced, then
    /// <paramref name="directory"/> (a crash leaves no file, or one whose header recovery checks).
    /// </summary>
    /// <returns>The open file; the caller owns it.</returns>
    public static IWalFile Create(IFileSystem fileSystem, string directory, string path, ReadOnlySpan<byte> header)
    {
        var file = fileSystem.OpenFile(path, WalFileMode.CreateNew);
        file.Write(0, header);
        file.Flush();
        fileSystem.SyncDirectory(directory);
        return file;
    }

    /// <summary>Deletes the segment file <paramref name="path"/> durably: <paramref name="directory"/> is synced after it.</summary>
    public static void Delete(IFileSystem fileSystem, string directory, string path)
    {
        fileSystem.DeleteFile(path);
        fileSystem.SyncDirectory(directory);
    }

    /// <summary>
    /// Zero-fills <paramref name="zeroFillAheadBytes"/> after <paramref name="end"/> (not past
    /// <paramref name="segmentSizeBytes"/>) once the records reach the end of the reserve, <paramref name="reservedLength"/>;
    /// synced by the caller's next sync.
    /// </summary>
    /// <returns>The reserve's new end (<paramref name="reservedLength"/> when the records have not reached it).</returns>
    public static long ZeroFillAhead(IWalFile file, long end, long reservedLength, long zeroFillAheadBytes, long segmentSizeBytes)
    {
        if (end <= reservedLength)
        {
            return reservedLength;
        }

        var target = Math.Min(end + zeroFillAheadBytes, Math.Max(end, segmentSizeBytes));
        for (var position = end; position < target; position += ZeroBlock.Length)
        {
            var size = (int)Math.Min(ZeroBlock.Length, target - position);
            file.Write(position, ZeroBlock.AsSpan(0, size));
        }

        return Math.Max(end, target);
    }

    /// <summary>Cuts the zero-filled reserve after the records, which end at <paramref name="length"/>, off a segment about to be sealed.</summary>
    /// <returns>The reserve's new end: <paramref name="length"/> (<paramref name="reservedLength"/> when there was no reserve to cut).</returns>
    public static long CutReserve(IWalFile file, long length, long reservedLength)
    {
        if (reservedLength <= length)
        {
            return reservedLength;
        }

        file.SetLength(length);
        return length;
    }
}
