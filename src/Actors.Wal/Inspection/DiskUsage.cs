using System.Runtime.InteropServices;

namespace Actors.Wal.Inspection;

/// <summary>
/// How many bytes a file occupies on disk (allocated blocks), which differs from its length: the engine preallocates
/// segments with <c>fallocate(KEEP_SIZE)</c>, so a short segment file can hold a whole segment's worth of blocks, and
/// a sparse file holds fewer.
/// </summary>
internal static partial class DiskUsage
{
    private const int AtFdCwd = -100;
    private const uint StatxBlocks = 0x400;
    private const int StatxSize = 256;
    private const int BlocksOffset = 48;

    /// <summary>The bytes allocated to <paramref name="path"/> (<c>st_blocks * 512</c> from <c>statx</c>), or its length where that is unavailable (not Linux).</summary>
    public static long AllocatedBytes(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            return new FileInfo(path).Length;
        }

        // struct statx has the same layout on every Linux architecture; stx_blocks (u64) is at offset 48.
        Span<byte> buffer = stackalloc byte[StatxSize];
        unsafe
        {
            fixed (byte* statx = buffer)
            {
                if (Statx(AtFdCwd, path, 0, StatxBlocks, statx) != 0)
                {
                    throw new IOException($"statx('{path}') failed: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
                }
            }
        }

        uint mask = BitConverter.ToUInt32(buffer);
        return (mask & StatxBlocks) != 0 ? (long)BitConverter.ToUInt64(buffer[BlocksOffset..]) * 512 : new FileInfo(path).Length;
    }

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int Statx(int directoryFd, string path, int flags, uint mask, byte* buffer);
}
