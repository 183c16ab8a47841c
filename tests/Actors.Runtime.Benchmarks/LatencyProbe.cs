using System.Diagnostics;

namespace Actors.RuntimeBenchmarks;

/// <summary>
/// Measures how long the silo is unresponsive: a probe grain is called every few milliseconds (its latency includes
/// waiting for a pool thread and for the activation), and a dedicated thread that sleeps 1 ms at a time records how
/// late it wakes (garbage-collection suspensions show up there).
/// </summary>
internal sealed class LatencyProbe : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _caller;
    private readonly Thread _sleeper;
    private long _maxCallTicks;
    private long _maxStallTicks;
    private long _calls;
    private long _lastGcIndex;
    private TimeSpan _maxGcPause;
    private string _maxGcPauseKind = "none";
    private readonly List<string> _longGcs = [];
    private long _resetTimestamp = Stopwatch.GetTimestamp();

    public LatencyProbe(IBenchGrain probe)
    {
        _caller = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                long start = Stopwatch.GetTimestamp();
                await probe.Ping();
                Max(ref _maxCallTicks, Stopwatch.GetTimestamp() - start);
                Interlocked.Increment(ref _calls);
                await Task.Delay(5);
            }
        });
        _sleeper = new Thread(() =>
        {
            while (!_stop.IsCancellationRequested)
            {
                long start = Stopwatch.GetTimestamp();
                Thread.Sleep(1);
                Max(ref _maxStallTicks, Stopwatch.GetTimestamp() - start - Stopwatch.Frequency / 1000);
                ObserveLastGc();
            }
        }) { IsBackground = true, Name = "stall-probe", Priority = ThreadPriority.Highest };
        _sleeper.Start();
    }

    /// <summary>The slowest probe call.</summary>
    public TimeSpan MaxCallLatency => Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _maxCallTicks));

    /// <summary>The longest time the sleeping thread woke late (a stop-the-world pause, or a starved machine).</summary>
    public TimeSpan MaxStall => Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _maxStallTicks));

    public long Calls => Interlocked.Read(ref _calls);

    /// <summary>The longest single GC pause seen (sampled each millisecond from the last GC's info), and what kind of GC it was.</summary>
    public string MaxGcPause
    {
        get
        {
            lock (_stop)
            {
                return $"{_maxGcPause.TotalMilliseconds:0.0} ms ({_maxGcPauseKind})";
            }
        }
    }

    public void Reset()
    {
        Interlocked.Exchange(ref _maxCallTicks, 0);
        Interlocked.Exchange(ref _maxStallTicks, 0);
        lock (_stop)
        {
            _maxGcPause = TimeSpan.Zero;
            _maxGcPauseKind = "none";
            _longGcs.Clear();
            _resetTimestamp = Stopwatch.GetTimestamp();
        }
    }

    /// <summary>The GCs since the last reset that paused longer than 10 ms: kind, pause and when (seconds after the reset).</summary>
    public string LongGcs
    {
        get
        {
            lock (_stop)
            {
                return _longGcs.Count == 0 ? "none" : string.Join(", ", _longGcs);
            }
        }
    }

    private void ObserveLastGc()
    {
        GCMemoryInfo info = GC.GetGCMemoryInfo(GCKind.Any);
        if (info.Index == _lastGcIndex)
        {
            return;
        }

        _lastGcIndex = info.Index;
        TimeSpan pause = info.PauseDurations.Length > 0 ? info.PauseDurations[0] + (info.PauseDurations.Length > 1 ? info.PauseDurations[1] : TimeSpan.Zero) : TimeSpan.Zero;
        string kind = $"gen{info.Generation}{(info.Compacted ? " compacting" : "")}{(info.Concurrent ? " background" : "")}";
        lock (_stop)
        {
            if (pause > _maxGcPause)
            {
                _maxGcPause = pause;
                _maxGcPauseKind = kind;
            }

            if (pause > TimeSpan.FromMilliseconds(10))
            {
                _longGcs.Add($"{kind} {pause.TotalMilliseconds:0} ms at {Stopwatch.GetElapsedTime(_resetTimestamp).TotalSeconds:0.0} s");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _caller;
        _sleeper.Join();
        _stop.Dispose();
    }

    private static void Max(ref long field, long value)
    {
        long current;
        while (value > (current = Interlocked.Read(ref field)) && Interlocked.CompareExchange(ref field, value, current) != current)
        {
        }
    }
}
