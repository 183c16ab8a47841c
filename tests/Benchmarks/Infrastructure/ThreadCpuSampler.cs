using System.Globalization;
using System.Text;

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
    private readonly byte[] _statBuffer = new byte[1024];

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
                // Read into one reused buffer and parsed as bytes: File.ReadAllText allocated about 15 KiB per read (its
                // reader's buffers), which the profile's allocation per append counted as the engine's.
                int length;
                using (var handle = File.OpenHandle(Path.Combine(task, "stat")))
                {
                    length = RandomAccess.Read(handle, _statBuffer, 0);
                }

                ReadOnlySpan<byte> stat = _statBuffer.AsSpan(0, length);
                int open = stat.IndexOf((byte)'(');
                int close = stat.LastIndexOf((byte)')');
                ReadOnlySpan<byte> rest = stat[(close + 2)..];
                // After "pid (comm) ": state is field 3 of stat(5), so utime (14) and stime (15) are fields 11 and 12 here.
                long ticks = ParseField(rest, 11) + ParseField(rest, 12);
                int tid = int.Parse(Path.GetFileName(task), CultureInfo.InvariantCulture);
                ReadOnlySpan<byte> name = stat[(open + 1)..close];
                _threads[tid] = _threads.TryGetValue(tid, out var seen) && Encoding.UTF8.GetByteCount(seen.Name) == name.Length && SameName(seen.Name, name)
                    ? seen with { Last = ticks }
                    : (Encoding.UTF8.GetString(name), ticks, ticks);
            }
            catch (Exception ex) when (ex is IOException or FormatException or IndexOutOfRangeException or ArgumentOutOfRangeException or UnauthorizedAccessException)
            {
                // The thread ended between listing and reading: its last sample stands.
            }
        }
    }

    private static long ParseField(ReadOnlySpan<byte> fields, int index)
    {
        for (int i = 0; i < index; i++)
        {
            fields = fields[(fields.IndexOf((byte)' ') + 1)..];
        }

        int end = fields.IndexOf((byte)' ');
        return long.Parse(end < 0 ? fields : fields[..end], CultureInfo.InvariantCulture);
    }

    private static bool SameName(string known, ReadOnlySpan<byte> name)
    {
        for (int i = 0; i < name.Length; i++)
        {
            if (known[i] != name[i])
            {
                return false;
            }
        }

        return true;
    }
}
