using System.ComponentModel;
using System.Globalization;
using System.Runtime.InteropServices;

namespace Actors.Orleans.Benchmarks.ColdMillion;

/// <summary>
/// This process's I/O counters (<c>/proc/self/io</c>: <c>syscr</c>, read system calls of any kind; <c>read_bytes</c>, bytes
/// the process caused to be fetched from the storage layer, page faults and read-ahead included) and the page-cache
/// controls the cold runs use (Linux only).
/// </summary>
internal static partial class ProcessIo
{
    private const int PosixFadvDontNeed = 4;

    /// <summary>Read system calls and bytes read from storage so far.</summary>
    public static (long ReadCalls, long ReadBytes) Read()
    {
        long calls = -1;
        long bytes = -1;
        foreach (string line in File.ReadLines("/proc/self/io"))
        {
            if (line.StartsWith("syscr:", StringComparison.Ordinal))
            {
                calls = long.Parse(line.AsSpan(6).Trim(), CultureInfo.InvariantCulture);
            }
            else if (line.StartsWith("read_bytes:", StringComparison.Ordinal))
            {
                bytes = long.Parse(line.AsSpan(11).Trim(), CultureInfo.InvariantCulture);
            }
        }

        return calls >= 0 && bytes >= 0 ? (calls, bytes) : throw new InvalidDataException("/proc/self/io has no syscr or read_bytes line");
    }

    /// <summary>Writes dirty pages back and drops the whole page cache (root): <c>sync; echo 3 &gt; /proc/sys/vm/drop_caches</c>.</summary>
    public static void DropPageCache()
    {
        sync();
        File.WriteAllText("/proc/sys/vm/drop_caches", "3");
    }

    /// <summary>
    /// Drops the pages of every file in <paramref name="directory"/> from the page cache (posix_fadvise DONTNEED), but the
    /// log's lock file (<c>LOCK</c>: locked by the open log, and holding no data).
    /// </summary>
    public static void EvictDirectory(string directory)
    {
        foreach (string path in Directory.EnumerateFiles(directory))
        {
            if (Path.GetFileName(path) == "LOCK")
            {
                continue;
            }

            using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            int error = posix_fadvise((int)handle.DangerousGetHandle(), 0, 0, PosixFadvDontNeed);
            if (error != 0)
            {
                throw new Win32Exception(error, $"posix_fadvise({path}, DONTNEED) failed");
            }
        }
    }

    [LibraryImport("libc")]
    private static partial int posix_fadvise(int fd, long offset, long length, int advice);

    [LibraryImport("libc")]
    private static partial void sync();
}
