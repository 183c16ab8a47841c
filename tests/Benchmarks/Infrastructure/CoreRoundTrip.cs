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
    private static readonly TimeSpan MaxDuration = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Nanoseconds per round trip between cores 0 and 1; null when the machine has one core, pinning fails, or the
    /// round trips take longer than 2 s in all (the two threads cannot run at the same time).
    /// </summary>
    public static double? MeasureNanoseconds()
    {
        if (Environment.ProcessorCount < 2 || !OperatingSystem.IsLinux())
        {
            return null;
        }

        var shared = new PaddedCounter();
        using var pinnedBoth = new Barrier(2);
        bool pinned0 = false, pinned1 = false;
        double? result = null;
        var responder = new Thread(() =>
        {
            pinned1 = Pin(1);
            pinnedBoth.SignalAndWait();
            if (!pinned0 || !pinned1)
            {
                return;
            }

            for (long i = 0; i < RoundTrips; i++)
            {
                long expected = (2 * i) + 1;
                long seen;
                while ((seen = Volatile.Read(ref shared.Value)) != expected)
                {
                    if (seen < 0)
                    {
                        return; // the initiator gave up
                    }
                }

                Volatile.Write(ref shared.Value, expected + 1);
            }
        }) { IsBackground = true, Name = "core round trip" };
        var initiator = new Thread(() =>
        {
            pinned0 = Pin(0);
            pinnedBoth.SignalAndWait();
            if (!pinned0 || !pinned1)
            {
                return;
            }

            var clock = Stopwatch.StartNew();
            for (long i = 0; i < RoundTrips; i++)
            {
                Volatile.Write(ref shared.Value, (2 * i) + 1);
                for (int spins = 0; Volatile.Read(ref shared.Value) != (2 * i) + 2; spins++)
                {
                    // Bounded: where the two threads cannot run at once (a CPU quota), give up rather than spin for minutes.
                    if ((spins & 0xFFFF) == 0xFFFF && clock.Elapsed > MaxDuration)
                    {
                        Volatile.Write(ref shared.Value, -1);
                        return;
                    }
                }
            }

            result = clock.Elapsed.TotalNanoseconds / RoundTrips;
        }) { IsBackground = true, Name = "core round trip" };
        responder.Start();
        initiator.Start();
        initiator.Join();
        responder.Join();
        return result;
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
