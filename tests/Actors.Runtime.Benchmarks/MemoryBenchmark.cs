using System.Globalization;

namespace Actors.RuntimeBenchmarks;

/// <summary>Bytes per trivial activation: the live managed heap (after full compacting GCs) before and after activating N grains.</summary>
internal static class MemoryBenchmark
{
    public static async Task<int> RunAsync(BenchOptions options)
    {
        int count = options.Int("activations", 1_000_000);
        await using BenchSilo silo = await BenchSilo.StartAsync(new Dictionary<string, string> { ["CollectionAge"] = "01:00:00" });

        // Warm up code paths and the catalog with grains outside the measured range, then measure.
        await silo.ActivateAsync(1_000);
        long rssBefore = ProcessStats.Rss;
        long heapBefore = ProcessStats.LiveHeapBytes();
        int first = 1_000;
        int next = first - 1;
        await Task.WhenAll(Enumerable.Range(0, 256).Select(async _ =>
        {
            int key;
            while ((key = Interlocked.Increment(ref next)) < first + count)
            {
                await silo.Grain(key).Ping();
            }
        }));
        long heapAfter = ProcessStats.LiveHeapBytes();
        long rssAfter = ProcessStats.Rss;
        BenchmarkCommands.Print(string.Create(CultureInfo.InvariantCulture,
            $"memory: {count:N0} activations: {(heapAfter - heapBefore) / (double)count:0} bytes per activation (live heap {ProcessStats.Mb(heapBefore)} -> {ProcessStats.Mb(heapAfter)}; RSS {ProcessStats.Mb(rssBefore)} -> {ProcessStats.Mb(rssAfter)}); {silo.Activations:N0} live; load average {ProcessStats.LoadAverage}"));
        return 0;
    }
}
