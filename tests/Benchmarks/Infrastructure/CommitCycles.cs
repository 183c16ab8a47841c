using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Actors.Benchmarks.Infrastructure;

/// <summary>
/// Where a store's commit cycle goes, per commit (issue 37 item 1: "measure each step's latency"): the committer's time
/// waiting for a group (from the end of its previous commit), writing, fsyncing and publishing (index, positions,
/// completions), and for the engine its lingering for more requests once it has some. The engine reports its phases through its instrument (meter <c>Actors.Wal</c>, histogram
/// <c>actors.wal.commit.phase.duration</c>, tag <c>commit.phase</c>), read by a <see cref="MeterListener"/> that lives as
/// long as the process; the bare group-commit loop calls <see cref="Record"/>. Only commits between <see cref="Open"/>
/// and <see cref="Close"/> count. One store runs at a time; the committer is one thread, so the lock is uncontended.
/// </summary>
internal static class CommitCycles
{
    /// <summary>The phases, in cycle order.</summary>
    public static readonly string[] Phases = ["wait", "linger", "write", "fsync", "publish"];

    private static readonly object Gate = new();
    private static double[]? _sums;
    private static long _commits;
    private static MeterListener? _listener;

    /// <summary>Starts counting the commits of a window.</summary>
    public static void Open()
    {
        lock (Gate)
        {
            _sums = new double[Phases.Length];
            _commits = 0;
            EnsureListening();
        }
    }

    /// <summary>Stops counting; the mean microseconds per commit of each phase (in <see cref="Phases"/> order) and the commit count.</summary>
    public static (double[] MeanMicroseconds, long Commits) Close()
    {
        lock (Gate)
        {
            double[] sums = _sums ?? new double[Phases.Length];
            long commits = _commits;
            _sums = null;
            return (sums.Select(s => commits == 0 ? 0 : s / commits).ToArray(), commits);
        }
    }

    /// <summary>Records one commit of the bare loop (<see cref="Stopwatch"/> ticks per phase, in <see cref="Phases"/> order).</summary>
    public static void Record(long waitTicks, long writeTicks, long syncTicks, long publishTicks)
    {
        lock (Gate)
        {
            if (_sums is not { } sums)
            {
                return;
            }

            sums[0] += Microseconds(waitTicks);
            sums[2] += Microseconds(writeTicks);
            sums[3] += Microseconds(syncTicks);
            sums[4] += Microseconds(publishTicks);
            _commits++;
        }
    }

    private static double Microseconds(long ticks) => ticks * 1_000_000.0 / Stopwatch.Frequency;

    /// <summary>Adds one phase measurement of the engine (a commit counts once, at its last phase).</summary>
    private static void Add(string phase, double microseconds)
    {
        lock (Gate)
        {
            if (_sums is not { } sums)
            {
                return;
            }

            int index = Array.IndexOf(Phases, phase);
            if (index < 0)
            {
                return;
            }

            sums[index] += microseconds;
            if (index == Phases.Length - 1)
            {
                _commits++;
            }
        }
    }

    /// <summary>Starts the listener once (under <see cref="Gate"/>).</summary>
    private static void EnsureListening()
    {
        if (_listener is not null)
        {
            return;
        }

        _listener = WalHistogramListener.Start("actors.wal.commit.phase.duration", (_, seconds, tags, _) =>
        {
            foreach (KeyValuePair<string, object?> tag in tags)
            {
                if (tag.Key == "commit.phase" && tag.Value is string phase)
                {
                    Add(phase, seconds * 1_000_000); // the histogram's unit is seconds; these figures are microseconds
                }
            }
        });
    }
}
