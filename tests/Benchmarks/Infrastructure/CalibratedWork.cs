using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace Actors.Benchmarks.Infrastructure;

/// <summary>
/// A fixed amount of CPU work on the calling thread (the bare loop's <c>--bare-*-work NS</c> options): a chain of
/// dependent integer steps whose count per nanosecond is calibrated once per process on an idle core, so that a
/// preempted thread still does the same work (a wall-clock spin would do less); on a loaded core the same steps take
/// longer. Used to ask how much per-append CPU, and in which place, takes the bare group-commit loop down to the
/// engine's rate.
/// </summary>
internal static class CalibratedWork
{
    private const int CalibrationSteps = 4_000_000;
    private static readonly Lazy<double> StepsPerNanosecond = new(Calibrate);

    /// <summary>The steps that take <paramref name="nanoseconds"/> on this machine when the thread is not preempted (0 for 0).</summary>
    public static int StepsFor(int nanoseconds) => nanoseconds <= 0 ? 0 : Math.Max(1, (int)(nanoseconds * StepsPerNanosecond.Value));

    /// <summary>
    /// Runs <paramref name="steps"/> dependent steps and returns their result. Never inlined, so the call stays even when
    /// its result is ignored, and the loop's result is the return value, so the loop stays; fully optimized from its first
    /// call, so the calibration times the code the runs use.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static ulong Run(int steps)
    {
        ulong x = 0x9E3779B97F4A7C15UL;
        for (int i = 0; i < steps; i++)
        {
            x = (x * 6364136223846793005UL) + 1442695040888963407UL;
        }

        return x;
    }

    /// <summary>Steps per nanosecond: the fastest of nine timed runs (the least disturbed by other threads).</summary>
    private static double Calibrate()
    {
        Run(CalibrationSteps / 10);
        double best = double.MaxValue;
        for (int i = 0; i < 9; i++)
        {
            long started = Stopwatch.GetTimestamp();
            Run(CalibrationSteps);
            best = Math.Min(best, Stopwatch.GetElapsedTime(started).TotalNanoseconds);
        }

        return CalibrationSteps / best;
    }
}
