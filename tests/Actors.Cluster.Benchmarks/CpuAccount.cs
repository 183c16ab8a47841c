using System.Globalization;

namespace Actors.Cluster.Benchmarks;

/// <summary>
/// CPU time of named processes and of the whole machine over one measured window, read from Linux's <c>/proc</c>
/// (<c>/proc/PID/stat</c> user + system time of every thread, <c>/proc/stat</c> busy and idle time of all cores). It answers
/// what a rate alone cannot: whether the machine's cores were saturated during a phase, and how much CPU each process
/// spent per call. Times are in clock ticks converted with <see cref="TicksPerSecond"/>; a process that exited during the
/// window is reported as missing, never as zero.
/// </summary>
internal sealed class CpuAccount
{
    /// <summary>USER_HZ of Linux's <c>/proc</c> times: 100 on every architecture .NET runs on (getconf CLK_TCK).</summary>
    public const double TicksPerSecond = 100;

    private readonly IReadOnlyList<(string Name, int ProcessId)> _processes;
    private readonly long?[] _startTicks;
    private readonly (long Busy, long Total) _startMachine;

    private CpuAccount(IReadOnlyList<(string Name, int ProcessId)> processes)
    {
        _processes = processes;
        _startTicks = [.. processes.Select(p => ProcessTicks(p.ProcessId))];
        _startMachine = MachineTicks();
    }

    /// <summary>Starts a window over <paramref name="processes"/> (a display name and a process id each).</summary>
    public static CpuAccount Start(IReadOnlyList<(string Name, int ProcessId)> processes) => new(processes);

    /// <summary>
    /// Ends the window: each process's CPU milliseconds per 1,000 <paramref name="calls"/> and the machine's busy share of
    /// all its cores, as one line to print.
    /// </summary>
    public string Describe(long calls)
    {
        (long busy, long total) = MachineTicks();
        long busyTicks = busy - _startMachine.Busy;
        long totalTicks = total - _startMachine.Total;
        var parts = new List<string>();
        double sum = 0;
        for (int i = 0; i < _processes.Count; i++)
        {
            long? end = ProcessTicks(_processes[i].ProcessId);
            if (_startTicks[i] is not long start || end is not long stop)
            {
                parts.Add($"{_processes[i].Name} missing (exited)");
                continue;
            }

            double milliseconds = (stop - start) * 1000 / TicksPerSecond;
            sum += milliseconds;
            parts.Add($"{_processes[i].Name} {PerThousand(milliseconds, calls)}");
        }

        double machineMilliseconds = busyTicks * 1000 / TicksPerSecond;
        string busyShare = totalTicks > 0 ? (busyTicks / (double)totalTicks).ToString("P0", CultureInfo.InvariantCulture) : "unknown";
        return $"CPU ms per 1,000 calls: {string.Join(", ", parts)}; these processes {PerThousand(sum, calls)}, " +
            $"whole machine {PerThousand(machineMilliseconds, calls)} (cores {busyShare} busy over the window, {Environment.ProcessorCount} cores)";
    }

    private static string PerThousand(double milliseconds, long calls) =>
        calls > 0 ? (milliseconds * 1000 / calls).ToString("N0", CultureInfo.InvariantCulture) : "n/a";

    /// <summary>utime + stime (fields 14 and 15) of <c>/proc/PID/stat</c>, or null once the process is gone.</summary>
    private static long? ProcessTicks(int processId)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{processId}/stat");
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }

        // The command name (field 2) is in parentheses and may hold spaces: fields are counted after its closing one.
        string[] fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
        return long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
    }

    /// <summary>Busy (everything but idle and iowait) and total ticks of all cores, from the first line of <c>/proc/stat</c>.</summary>
    private static (long Busy, long Total) MachineTicks()
    {
        string first = File.ReadLines("/proc/stat").First();
        long[] values = [.. first.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Take(8).Select(v => long.Parse(v, CultureInfo.InvariantCulture))];
        long total = values.Sum();
        long idle = values[3] + values[4];
        return (total - idle, total);
    }
}
