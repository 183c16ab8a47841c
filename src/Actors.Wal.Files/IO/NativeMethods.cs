using System.Runtime.InteropServices;

namespace Actors.Wal.IO;

/// <summary>libc calls the BCL does not expose: fsync of a directory.</summary>
internal static partial class NativeMethods
{
    private const int ORdOnly = 0;

    /// <summary>Opens <paramref name="directory"/> read-only, fsyncs it and closes it.</summary>
    /// <exception cref="IOException">open or fsync failed (the errno is in the HResult).</exception>
    public static void FsyncDirectory(string directory)
    {
        int fd = Open(directory, ORdOnly);
        if (fd < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            throw new IOException($"open('{directory}') for directory fsync failed with errno {errno}.", errno);
        }

        try
        {
            if (Fsync(fd) != 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                throw new IOException($"fsync of directory '{directory}' failed with errno {errno}.", errno);
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    /// <summary>fdatasync(2) of an open file.</summary>
    /// <exception cref="IOException">fdatasync failed (the errno is in the HResult, so ENOSPC is recognised).</exception>
    public static void Fdatasync(Microsoft.Win32.SafeHandles.SafeFileHandle handle, string path)
    {
        bool added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            if (Fdatasync((int)handle.DangerousGetHandle()) != 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                throw new IOException($"fdatasync of '{path}' failed with errno {errno}.", errno);
            }
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }

    [LibraryImport("libc", EntryPoint = "fdatasync", SetLastError = true)]
    private static partial int Fdatasync(int fd);

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
