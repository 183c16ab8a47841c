using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Actors.Benchmarks.Infrastructure;

/// <summary>
/// The time a cache line takes to go from core 0 to core 1 and back: two threads pinned to the first two cores pass a
/// counter back and forth through one shared 64-bit field. On this project's virtual machines the figure is bimodal
/// (about 60-80 ns in one placement of the virtual cores on the host, 330-350 ns in another, switching between runs
/// minutes apart), and every store that hands work between threads slows with it: the engine's CPU per append nearly
/// doubles in the far placement. Printed beside the figures like the load average, so that rounds are compared in the
/// same placement.
/// </summary>
internal static partial class CoreRoundTrip
{
    private const int RoundTrips = 100_000;

    /// <summary>Nanoseconds per round trip between cores 0 and 1; null when the machine has one core or pinning fails.</summary>
    public static double? MeasureNanoseconds()
    {
        if (Environment.ProcessorCount < 2 || !OperatingSystem.IsLinux())
        {
            return null;
        }

        var shared = new PaddedCounter();
        bool pinned = true;
        var responder = new Thread(() =>
        {
            pinned &= Pin(1);
            for (long i = 0; i < RoundTrips; i++)
            {
                while (Volatile.Read(ref shared.Value) != (2 * i) + 1)
                {
                }

                Volatile.Write(ref shared.Value, (2 * i) + 2);
            }
        }) { IsBackground = true, Name = "core round trip" };
        double? result = null;
        var initiator = new Thread(() =>
        {
            pinned &= Pin(0);
            var clock = Stopwatch.StartNew();
            for (long i = 0; i < RoundTrips; i++)
            {
                Volatile.Write(ref shared.Value, (2 * i) + 1);
                while (Volatile.Read(ref shared.Value) != (2 * i) + 2)
                {
                }
            }

            result = clock.Elapsed.TotalNanoseconds / RoundTrips;
        }) { IsBackground = true, Name = "core round trip" };
        responder.Start();
        initiator.Start();
        initiator.Join();
        responder.Join();
        return pinned ? result : null;
    }

    /// <summary>The figure as printed beside a row: "70 ns" or "n/a".</summary>
    public static string Describe() => MeasureNanoseconds() is { } ns ? $"{ns:0} ns" : "n/a";

    private static unsafe bool Pin(int core)
    {
        ulong mask = 1UL << core;
        return sched_setaffinity(0, sizeof(ulong), &mask) == 0;
    }

    [LibraryImport("libc", SetLastError = true)]
    private static unsafe partial int sched_setaffinity(int pid, nint cpusetsize, ulong* mask);

    /// <summary>One counter alone on its cache line.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 128)]
    private sealed class PaddedCounter
    {
        [FieldOffset(64)]
        public long Value;
    }
}
