using System.Runtime.InteropServices;

namespace Actors.Benchmarks.Serialization;

/// <summary>CPU time of the calling thread (CLOCK_THREAD_CPUTIME_ID): unaffected by time the thread spends descheduled under load.</summary>
internal static partial class ThreadCpu
{
    private const int ClockThreadCpuTimeId = 3;

    public static long Nanoseconds()
    {
        if (ClockGetTime(ClockThreadCpuTimeId, out TimeSpec time) != 0)
        {
            throw new InvalidOperationException($"clock_gettime failed: {Marshal.GetLastPInvokeError()}");
        }

        return (time.Seconds * 1_000_000_000L) + time.Nanoseconds;
    }

    [LibraryImport("libc", EntryPoint = "clock_gettime", SetLastError = true)]
    private static partial int ClockGetTime(int clock, out TimeSpec time);

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }
}
