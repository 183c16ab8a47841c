using System.Diagnostics;
using System.Globalization;

namespace Actors.RuntimeBenchmarks;

/// <summary>
/// Calls per second spread uniformly over N resident activations, K in flight, in rounds (median reported). Run it
/// once with 10,000 and once with 1,000,000 activations, alternating (scripts/runtime-bench.sh), and compare medians.
/// </summary>
internal static class ScaleBenchmark
{
    public static async Task<int> RunAsync(BenchOptions options)
    {
        int count = options.Int("activations", 10_000);
        TimeSpan window = options.Seconds("seconds", 10);
        int rounds = options.Int("rounds", 5);
        int inFlight = options.Int("inflight", 256);
        bool profileAllocations = options.Int("allocations", 0) != 0;
        using AllocationSampler? sampler = profileAllocations ? new AllocationSampler() : null;
        await using BenchSilo silo = await BenchSilo.StartAsync(new Dictionary<string, string> { ["CollectionAge"] = "01:00:00" });
        await silo.ActivateAsync(count);
        ProcessStats.LiveHeapBytes();
        await RoundAsync(silo, count, inFlight, TimeSpan.FromSeconds(Math.Min(5, window.TotalSeconds)));

        var rates = new List<double>();
        sampler?.Start();
        for (int round = 1; round <= rounds; round++)
        {
            TimeSpan cpuBefore = ProcessStats.CpuTime;
            TimeSpan pauseBefore = GC.GetTotalPauseDuration();
            (int gen0, int gen1, int gen2) = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
            long allocatedBefore = GC.GetTotalAllocatedBytes();
            long start = Stopwatch.GetTimestamp();
            long calls = await RoundAsync(silo, count, inFlight, window);
            long allocated = GC.GetTotalAllocatedBytes() - allocatedBefore;
            GCMemoryInfo lastGen0 = GC.GetGCMemoryInfo(GCKind.Ephemeral);
            TimeSpan elapsed = Stopwatch.GetElapsedTime(start);
            TimeSpan cpu = ProcessStats.CpuTime - cpuBefore;
            TimeSpan pause = GC.GetTotalPauseDuration() - pauseBefore;
            double rate = calls / elapsed.TotalSeconds;
            rates.Add(rate);
            BenchmarkCommands.Print(string.Create(CultureInfo.InvariantCulture,
                $"scale round {round}: {count:N0} activations, {inFlight} in flight: {rate:N0} calls/s, {cpu.TotalMicroseconds / calls:0.00} us CPU/call, GCs {GC.CollectionCount(0) - gen0}/{GC.CollectionCount(1) - gen1}/{GC.CollectionCount(2) - gen2} (gen0/1/2), GC pause {100 * pause / elapsed:0.0}% of the time, {allocated / (double)calls:0} B allocated/call, last ephemeral GC: gen{lastGen0.Generation}, pause {lastGen0.PauseDurations[0].TotalMilliseconds:0.0} ms, promoted {lastGen0.PromotedBytes / 1024:N0} KiB; load average {ProcessStats.LoadAverage}"));
        }

        if (sampler is not null)
        {
            sampler.Stop();
            BenchmarkCommands.Print("allocations by type over the rounds (sampled):");
            foreach (string line in sampler.Top(15))
            {
                BenchmarkCommands.Print("  " + line);
            }
        }

        rates.Sort();
        BenchmarkCommands.Print(string.Create(CultureInfo.InvariantCulture,
            $"scale: {count:N0} activations: median {rates[rates.Count / 2]:N0} calls/s over {rounds} rounds of {window.TotalSeconds:0} s (min {rates[0]:N0}, max {rates[^1]:N0}); load average {ProcessStats.LoadAverage}"));
        return 0;
    }

    private static async Task<long> RoundAsync(BenchSilo silo, int count, int inFlight, TimeSpan window)
    {
        long deadline = Stopwatch.GetTimestamp() + (long)(window.TotalSeconds * Stopwatch.Frequency);
        long calls = 0;
        await Task.WhenAll(Enumerable.Range(0, inFlight).Select(worker => Task.Run(async () =>
        {
            var random = new Random(worker);
            long mine = 0;
            while (Stopwatch.GetTimestamp() < deadline)
            {
                await silo.Grain(random.Next(count)).Ping();
                mine++;
            }

            Interlocked.Add(ref calls, mine);
        })));
        return calls;
    }
}
