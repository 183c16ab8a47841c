using System.Diagnostics;
using System.Globalization;

namespace Actors.RuntimeBenchmarks;

/// <summary>Process-level figures: CPU time, resident memory, managed heap, garbage collections, load average.</summary>
internal static class ProcessStats
{
    public static TimeSpan CpuTime => Process.GetCurrentProcess().TotalProcessorTime;

    /// <summary>Resident set size in bytes.</summary>
    public static long Rss
    {
        get
        {
            using var process = Process.GetCurrentProcess();
            process.Refresh();
            return process.WorkingSet64;
        }
    }

    /// <summary>The managed heap after full blocking collections (what is live).</summary>
    public static long LiveHeapBytes()
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        return GC.GetTotalMemory(forceFullCollection: false);
    }

    public static int Collections => GC.CollectionCount(0);

    public static string LoadAverage => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    public static string Mb(long bytes) => (bytes / (1024.0 * 1024.0)).ToString("0.0", CultureInfo.InvariantCulture) + " MB";
}
