using System.ComponentModel;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Actors.Benchmarks.Infrastructure;

/// <summary>Linux system calls the BCL does not expose: fdatasync, fsync of a directory, and page-cache eviction of a file.</summary>
internal static partial class NativeMethods
{
    private const int ORdOnly = 0;
    private const int ODirectory = 0x10000; // Linux x86-64 and arm64
    private const int PosixFadvDontNeed = 4; // Linux

    /// <summary>fdatasync(2) on an open file: data plus the metadata needed to read it back, not mtime.</summary>
    public static void FDataSync(SafeFileHandle handle)
    {
        bool added = false;
        handle.DangerousAddRef(ref added);
        try
        {
            if (fdatasync((int)handle.DangerousGetHandle()) != 0)
            {
                throw new Win32Exception(Marshal.GetLastPInvokeError(), "fdatasync failed");
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

    /// <summary>Opens a directory read-only so it can be fsynced (a rename is durable only after this).</summary>
    public static int OpenDirectory(string path)
    {
        int fd = open(path, ORdOnly | ODirectory);
        if (fd < 0)
        {
            throw new Win32Exception(Marshal.GetLastPInvokeError(), $"open({path}, O_DIRECTORY) failed");
        }

        return fd;
    }

    public static void FSync(int fd)
    {
        if (fsync(fd) != 0)
        {
            throw new Win32Exception(Marshal.GetLastPInvokeError(), "fsync failed");
        }
    }

    public static void Close(int fd)
    {
        if (close(fd) != 0)
        {
            throw new Win32Exception(Marshal.GetLastPInvokeError(), "close failed");
        }
    }

    /// <summary>
    /// Drops <paramref name="path"/>'s pages from the page cache (posix_fadvise POSIX_FADV_DONTNEED over the whole file),
    /// after an fsync so that no page is dirty: the next read of it goes to the disk.
    /// </summary>
    public static void EvictFromPageCache(string path)
    {
        int fd = open(path, ORdOnly);
        if (fd < 0)
        {
            throw new Win32Exception(Marshal.GetLastPInvokeError(), $"open({path}) failed");
        }

        try
        {
            FSync(fd);
            int error = posix_fadvise(fd, 0, 0, PosixFadvDontNeed);
            if (error != 0)
            {
                throw new Win32Exception(error, $"posix_fadvise({path}, DONTNEED) failed");
            }
        }
        finally
        {
            Close(fd);
        }
    }

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int open(string path, int flags);

    [LibraryImport("libc")]
    private static partial int posix_fadvise(int fd, long offset, long length, int advice);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int fsync(int fd);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int fdatasync(int fd);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int close(int fd);
}
