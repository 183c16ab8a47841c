using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace Actors.Benchmarks.Infrastructure;

/// <summary>
/// A fixed amount of CPU work on the calling thread (<c>--bare-caller-work NS</c>): a chain of dependent integer steps
/// whose count per nanosecond is calibrated once per process, so that a preempted caller still does the same work (a
/// wall-clock spin would do less). Used to ask how much per-append CPU on the callers' threads takes the bare
/// group-commit loop down to the engine's rate.
/// </summary>
internal static class CallerWork
{
    private const int CalibrationSteps = 4_000_000;
    private static readonly Lazy<double> StepsPerNanosecond = new(Calibrate);

    /// <summary>The steps that take <paramref name="nanoseconds"/> on this machine when the thread is not preempted.</summary>
    public static int StepsFor(int nanoseconds) => nanoseconds <= 0 ? 0 : Math.Max(1, (int)(nanoseconds * StepsPerNanosecond.Value));

    /// <summary>Runs <paramref name="steps"/> dependent steps; returns their result (callers keep it so the JIT cannot drop the loop).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static ulong Run(int steps)
    {
        ulong x = 0x9E3779B97F4A7C15UL;
        for (int i = 0; i < steps; i++)
        {
            x = (x * 6364136223846793005UL) + 1442695040888963407UL;
        }

        return x;
    }

    /// <summary>
    /// Steps per nanosecond: the fastest of several timed runs (the least disturbed by other threads), after a warm-up
    /// run that lets the JIT compile <see cref="Run"/> at its final tier.
    /// </summary>
    private static double Calibrate()
    {
        ulong sink = 0;
        for (int i = 0; i < 50; i++)
        {
            sink ^= Run(CalibrationSteps / 10);
        }

        double best = double.MaxValue;
        for (int i = 0; i < 9; i++)
        {
            long started = Stopwatch.GetTimestamp();
            sink ^= Run(CalibrationSteps);
            best = Math.Min(best, Stopwatch.GetElapsedTime(started).TotalNanoseconds);
        }

        GC.KeepAlive(sink);
        return CalibrationSteps / best;
    }
}
