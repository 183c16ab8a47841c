using System.Globalization;

namespace Actors.Benchmarks.Infrastructure;

/// <summary>
/// CPU time of this process's threads by name, from <c>/proc/self/task/*/stat</c> (user + system, in clock ticks of
/// 10 ms), sampled every 100 ms while it runs so that threads which end before it stops still count. Linux only;
/// elsewhere it reports nothing. One sampling task owns the state until <see cref="StopAsync"/> returns it.
/// </summary>
internal sealed class ThreadCpuSampler
{
    private const double TickMilliseconds = 10;
    private readonly Dictionary<int, (string Name, long First, long Last)> _threads = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _sampling;

    public ThreadCpuSampler()
    {
        _sampling = Task.Run(SampleAsync);
    }

    /// <summary>Stops sampling; CPU milliseconds per thread name (threads of one name added up), most first.</summary>
    public async Task<IReadOnlyList<(string Name, int Threads, double Milliseconds)>> StopAsync()
    {
        await _stop.CancelAsync();
        await _sampling;
        Sample();
        return _threads.Values
            .GroupBy(t => t.Name)
            .Select(g => (g.Key, g.Count(), g.Sum(t => t.Last - t.First) * TickMilliseconds))
            .OrderByDescending(g => g.Item3)
            .ToList();
    }

    private async Task SampleAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Sample();
            try
            {
                await Task.Delay(100, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private void Sample()
    {
        if (!Directory.Exists("/proc/self/task"))
        {
            return;
        }

        foreach (string task in Directory.EnumerateDirectories("/proc/self/task"))
        {
            try
            {
                string stat = File.ReadAllText(Path.Combine(task, "stat"));
                int open = stat.IndexOf('(', StringComparison.Ordinal);
                int close = stat.LastIndexOf(')');
                string[] fields = stat[(close + 2)..].Split(' ');
                // After "pid (comm) ": state is field 3 of stat(5), so utime (14) and stime (15) are at 11 and 12 here.
                long ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
                int tid = int.Parse(Path.GetFileName(task), CultureInfo.InvariantCulture);
                string name = stat[(open + 1)..close];
                _threads[tid] = _threads.TryGetValue(tid, out var seen) && seen.Name == name ? seen with { Last = ticks } : (name, ticks, ticks);
            }
            catch (Exception ex) when (ex is IOException or FormatException or IndexOutOfRangeException or UnauthorizedAccessException)
            {
                // The thread ended between listing and reading: its last sample stands.
            }
        }
    }
}
