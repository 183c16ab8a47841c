using System.Runtime.InteropServices;

namespace Actors.Cluster.Storage;

/// <summary>Makes a directory's entries (created, renamed, deleted files) durable: fsync(2) of the directory.</summary>
internal static partial class DirectorySync
{
    /// <summary>Opens <paramref name="directory"/> read-only, fsyncs it and closes it.</summary>
    /// <exception cref="IOException">open or fsync failed (the errno is in the message and HResult).</exception>
    public static void Fsync(string directory)
    {
        int fd = Open(directory, 0);
        if (fd < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            throw new IOException($"open('{directory}') for a directory fsync failed with errno {errno}.", errno);
        }

        try
        {
            if (FsyncFd(fd) != 0)
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

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int FsyncFd(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
