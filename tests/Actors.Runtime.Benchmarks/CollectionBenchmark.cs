using System.Diagnostics;
using System.Globalization;

namespace Actors.RuntimeBenchmarks;

/// <summary>
/// Idle collection of N activations: while they are collected, a probe grain is called every 5 ms and a sleeping
/// thread measures how late it wakes; the longest of each is how long the silo was blocked. Then the process idles and
/// its RSS is sampled, against the RSS before any activation existed.
/// </summary>
internal static class CollectionBenchmark
{
    public static async Task<int> RunAsync(BenchOptions options)
    {
        int count = options.Int("activations", 1_000_000);
        TimeSpan age = options.Seconds("age", 30);
        TimeSpan settle = options.Seconds("settle", 60);
        string release = options.Text("release", "runtime");
        await using BenchSilo silo = await BenchSilo.StartAsync(new Dictionary<string, string>
        {
            ["ReleaseMemoryAfterCollection"] = release == "runtime" ? "true" : "false",
            ["CollectionAge"] = age.ToString("c", CultureInfo.InvariantCulture),
            ["CollectionQuantum"] = TimeSpan.FromSeconds(Math.Max(1, age.TotalSeconds / 15)).ToString("c", CultureInfo.InvariantCulture),
        });
        await using var probe = new LatencyProbe(silo.Grain(-1));
        await Task.Delay(TimeSpan.FromSeconds(2));
        ProcessStats.LiveHeapBytes();
        long rssBaseline = ProcessStats.Rss;

        long start = Stopwatch.GetTimestamp();
        await silo.ActivateAsync(count);
        long rssLoaded = ProcessStats.Rss;
        BenchmarkCommands.Print(string.Create(CultureInfo.InvariantCulture,
            $"collect: {count:N0} activations in {Stopwatch.GetElapsedTime(start).TotalSeconds:0.0} s; RSS {ProcessStats.Mb(rssBaseline)} before, {ProcessStats.Mb(rssLoaded)} loaded; waiting for idle collection (age {age})"));

        // Wait for the collection to begin, then measure the stalls while it runs.
        while (silo.Activations > count)
        {
            await Task.Delay(100);
        }

        probe.Reset();
        TimeSpan pauseBefore = GC.GetTotalPauseDuration();
        TimeSpan cpuBefore = ProcessStats.CpuTime;
        long collectStart = Stopwatch.GetTimestamp();
        long lastProgress = Stopwatch.GetTimestamp();
        long remaining = silo.Activations;
        while (remaining > 1)
        {
            await Task.Delay(100);
            long now = silo.Activations;
            if (now != remaining)
            {
                remaining = now;
                lastProgress = Stopwatch.GetTimestamp();
            }
            else if (Stopwatch.GetElapsedTime(lastProgress) > age + age)
            {
                BenchmarkCommands.Print($"collect: no progress for {age + age} with {remaining:N0} activations left; giving up");
                return 1;
            }
        }

        // Keep measuring a few seconds more: the runtime releases memory (a garbage collection) after a large pass.
        TimeSpan collectTime = Stopwatch.GetElapsedTime(collectStart);
        await Task.Delay(TimeSpan.FromSeconds(1));
        ReleaseAsComparison(release);
        await Task.Delay(TimeSpan.FromSeconds(4));
        BenchmarkCommands.Print(string.Create(CultureInfo.InvariantCulture,
            $"collect: {count:N0} activations collected within {collectTime.TotalSeconds:0.0} s of the first going; from then until 5 s after the last (memory release included): CPU {(ProcessStats.CpuTime - cpuBefore).TotalSeconds:0.0} s, GC pauses {(GC.GetTotalPauseDuration() - pauseBefore).TotalMilliseconds:0} ms in total, longest probe call {probe.MaxCallLatency.TotalMilliseconds:0.0} ms, longest stall {probe.MaxStall.TotalMilliseconds:0.0} ms, longest GC pause {probe.MaxGcPause}, over {probe.Calls} probe calls; load average {ProcessStats.LoadAverage}"));
        BenchmarkCommands.Print($"collect: GCs that paused over 10 ms (seconds after the first collection; the pass ended at {collectTime.TotalSeconds:0.0} s): {probe.LongGcs}");

        long settleStart = Stopwatch.GetTimestamp();
        foreach (double mark in new[] { 0, 10, 30, 60, 120 }.Where(m => m <= settle.TotalSeconds))
        {
            TimeSpan wait = TimeSpan.FromSeconds(mark) - Stopwatch.GetElapsedTime(settleStart);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait);
            }

            long rss = ProcessStats.Rss;
            BenchmarkCommands.Print(string.Create(CultureInfo.InvariantCulture,
                $"collect: {mark:0} s after collection: RSS {ProcessStats.Mb(rss)} = {rss / (double)rssBaseline:0.00}x the RSS before activation ({ProcessStats.Mb(rssBaseline)}), managed heap {ProcessStats.Mb(GC.GetTotalMemory(false))}"));
        }

        return 0;
    }

    /// <summary>For comparison with the runtime's own release (<c>--release runtime</c>, the default): no release, or a given GC.</summary>
    private static void ReleaseAsComparison(string release)
    {
        switch (release)
        {
            case "runtime" or "none":
                return;
            case "blocking":
                GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: false);
                break;
            case "compacting":
                GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
                break;
            case "background":
                GC.Collect(2, GCCollectionMode.Forced, blocking: false);
                break;
            case "aggressive":
                long cpuBefore = ThreadCpuNanoseconds();
                long wallBefore = Stopwatch.GetTimestamp();
                GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
                BenchmarkCommands.Print(string.Create(CultureInfo.InvariantCulture,
                    $"collect: the aggressive GC took {Stopwatch.GetElapsedTime(wallBefore).TotalMilliseconds:0.0} ms, of which {(ThreadCpuNanoseconds() - cpuBefore) / 1e6:0.0} ms on CPU (the rest waiting for a core); load average {ProcessStats.LoadAverage}"));
                break;
            case "background-aggressive":
                // The runtime's own policy, done here so the decommitting step's CPU time can be measured.
                int gen2 = GC.CollectionCount(2);
                GC.Collect(2, GCCollectionMode.Forced, blocking: false);
                _ = Task.Run(async () =>
                {
                    while (GC.CollectionCount(2) == gen2)
                    {
                        await Task.Delay(50);
                    }

                    await Task.Delay(500);
                    long cpu = ThreadCpuNanoseconds();
                    long wall = Stopwatch.GetTimestamp();
                    GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
                    BenchmarkCommands.Print(string.Create(CultureInfo.InvariantCulture,
                        $"collect: the aggressive GC after a background one took {Stopwatch.GetElapsedTime(wall).TotalMilliseconds:0.0} ms, of which {(ThreadCpuNanoseconds() - cpu) / 1e6:0.0} ms on CPU; load average {ProcessStats.LoadAverage}"));
                });
                break;
            default:
                throw new ArgumentException($"Unknown --release '{release}' (runtime, none, blocking, compacting, background, aggressive, background-aggressive).");
        }
    }

    /// <summary>CPU time of the calling thread (Linux schedstat), in nanoseconds; 0 where unavailable.</summary>
    private static long ThreadCpuNanoseconds()
    {
        const string Path = "/proc/thread-self/schedstat";
        return File.Exists(Path) ? long.Parse(File.ReadAllText(Path).Split(' ')[0], CultureInfo.InvariantCulture) : 0;
    }
}
