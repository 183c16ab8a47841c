using System.Buffers;
using System.Runtime.InteropServices;

namespace Actors.Wal.IO;

/// <summary>libc calls the BCL does not expose (or exposes with an allocation per call): fsync of a directory, fdatasync, pwritev.</summary>
internal static unsafe partial class NativeMethods
{
    private const int ORdOnly = 0;
    private const int Eintr = 4;
    private const int IovMax = 1024;

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

    /// <summary>
    /// pwritev(2) of every byte of <paramref name="buffers"/> from <paramref name="offset"/>: one system call for up to
    /// 1,024 buffers, repeated after a short write. Allocates nothing once the shared array pools are warm (the BCL's
    /// gather write allocates its pin array on every call).
    /// </summary>
    /// <exception cref="IOException">pwritev failed or wrote nothing (the errno is in the HResult, so ENOSPC is recognised).</exception>
    public static void WriteGathered(Microsoft.Win32.SafeHandles.SafeFileHandle handle, string path, IReadOnlyList<ReadOnlyMemory<byte>> buffers, long offset)
    {
        int count = buffers.Count;
        MemoryHandle[] pins = ArrayPool<MemoryHandle>.Shared.Rent(count);
        IoVec[] vectors = ArrayPool<IoVec>.Shared.Rent(count);
        int pinned = 0;
        bool added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            int fd = (int)handle.DangerousGetHandle();
            for (; pinned < count; pinned++)
            {
                pins[pinned] = buffers[pinned].Pin();
                vectors[pinned] = new IoVec { Base = pins[pinned].Pointer, Length = (nuint)buffers[pinned].Length };
            }

            int first = SkipEmpty(vectors, 0, count);
            while (first < count)
            {
                nint written;
                fixed (IoVec* vector = &vectors[first])
                {
                    written = PWriteV(fd, vector, Math.Min(count - first, IovMax), offset);
                }

                if (written < 0)
                {
                    int errno = Marshal.GetLastPInvokeError();
                    if (errno == Eintr)
                    {
                        continue;
                    }

                    throw new IOException($"pwritev of {count - first} buffer(s) at offset {offset} of '{path}' failed with errno {errno}.", errno);
                }

                if (written == 0)
                {
                    throw new IOException($"pwritev at offset {offset} of '{path}' wrote nothing.");
                }

                offset += written;
                while (first < count && written >= (nint)vectors[first].Length)
                {
                    written -= (nint)vectors[first].Length;
                    first++;
                }

                if (written > 0)
                {
                    vectors[first].Base = (byte*)vectors[first].Base + written;
                    vectors[first].Length -= (nuint)written;
                }

                first = SkipEmpty(vectors, first, count);
            }
        }
        finally
        {
            for (int i = 0; i < pinned; i++)
            {
                pins[i].Dispose();
            }

            ArrayPool<MemoryHandle>.Shared.Return(pins, clearArray: true);
            ArrayPool<IoVec>.Shared.Return(vectors);
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }

    private static int SkipEmpty(IoVec[] vectors, int first, int count)
    {
        while (first < count && vectors[first].Length == 0)
        {
            first++;
        }

        return first;
    }

    [LibraryImport("libc", EntryPoint = "pwritev", SetLastError = true)]
    private static partial nint PWriteV(int fd, IoVec* vectors, int count, long offset);

    [LibraryImport("libc", EntryPoint = "fdatasync", SetLastError = true)]
    private static partial int Fdatasync(int fd);

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);

    /// <summary>struct iovec.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct IoVec
    {
        public void* Base;
        public nuint Length;
    }
}
