using System.Runtime.InteropServices;

namespace Actors.Wal.Reading;

/// <summary>
/// posix_fadvise(POSIX_FADV_WILLNEED) on a segment file, through a descriptor of its own: the kernel starts reading the
/// range into the page cache and returns without waiting, so many reads are in flight at once.
/// </summary>
/// <remarks>
/// Linux only (elsewhere nothing happens). Advice is a hint: a file that cannot be opened (deleted by space management
/// meanwhile, or not on a real disk in tests) or an advice that fails is ignored, since the walk reads and verifies every
/// record itself. The descriptor is opened read-only with close-on-exec, apart from the log's own handles, so no file
/// the log uses is ever touched or closed here.
/// </remarks>
internal static partial class ReadAheadNative
{
    private const int ORdOnly = 0;
    private const int OCloExec = 0x80000; // Linux x86-64 and arm64
    private const int PosixFadvWillNeed = 3; // Linux

    /// <summary>True where the advice exists.</summary>
    public static bool IsSupported { get; } = OperatingSystem.IsLinux();

    /// <summary>Opens <paramref name="path"/> for advice; -1 when it cannot be opened.</summary>
    public static int Open(string path) => IsSupported ? OpenFile(path, ORdOnly | OCloExec) : -1;

    /// <summary>Asks the kernel to read [<paramref name="offset"/>, <paramref name="offset"/> + <paramref name="length"/>) ahead; false when it refused.</summary>
    public static bool WillNeed(int descriptor, long offset, long length)
        => descriptor >= 0 && PosixFadvise(descriptor, offset, length, PosixFadvWillNeed) == 0;

    /// <summary>Closes a descriptor from <see cref="Open"/> (nothing for -1).</summary>
    public static void Close(int descriptor)
    {
        if (descriptor >= 0)
        {
            _ = CloseFile(descriptor);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int OpenFile(string path, int flags);

    [LibraryImport("libc", EntryPoint = "posix_fadvise")]
    private static partial int PosixFadvise(int descriptor, long offset, long length, int advice);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int CloseFile(int descriptor);
}
