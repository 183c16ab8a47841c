using System.Globalization;
using Actors.Orleans.Benchmarks.Grains;
using Actors.Orleans.Benchmarks.Measurement;
using Actors.Orleans.Benchmarks.Reporting;
using Actors.Orleans.Benchmarks.Variants;

namespace Actors.Orleans.Benchmarks.Sections;

/// <summary>
/// The cost of one call when each grain already holds a history of events: fresh grains per (variant, history) are
/// given their history untimed (in confirmed batches), then measured as in the throughput section, in interleaved
/// rounds. The WAL journaled grain should not care (it appends; activation reads its latest checkpoint); Orleans's
/// LogStorage rewrites the grain's whole event list on every confirm.
/// </summary>
public static class HistorySection
{
    private const long KeysPerCase = 1_000_000;
    private const int FillBatchEvents = 1_000;

    public static async Task RunAsync(BenchContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var cases = new List<(BenchVariant Variant, int History, IReadOnlyList<IBenchGrain> Grains)>();
        foreach ((BenchVariant variant, IReadOnlyList<int> histories) in context.Options.HistoryCases())
        {
            foreach (int history in histories)
            {
                long firstKey = KeysPerCase * (cases.Count + 1);
                cases.Add((variant, history, context.GrainRange(variant.GrainType, firstKey, context.Options.Callers)));
            }
        }

        foreach ((BenchVariant variant, int history, IReadOnlyList<IBenchGrain> grains) in cases)
        {
            BenchContext.Progress($"history: giving {grains.Count} grains of {variant.Key} {history} events each (untimed)");
            int[] versions = await Task.WhenAll(grains.Select(g => g.AddHistory(context.Payload, history, FillBatchEvents)));
            if (versions.Any(v => v != history))
            {
                throw new InvalidOperationException(
                    $"{variant.Key}: after adding {history} events a grain is at version {versions.First(v => v != history)} (expected {history})");
            }
        }

        var rounds = cases.Select(_ => new List<CallRound>()).ToArray();
        for (int round = 0; round < context.Options.Rounds; round++)
        {
            for (int i = 0; i < cases.Count; i++)
            {
                int index = (i + round) % cases.Count;
                (BenchVariant variant, int history, IReadOnlyList<IBenchGrain> grains) = cases[index];
                CallRound result = await ClosedLoopRunner.RunAsync(grains, context.Payload, context.Warmup, context.Measured);
                rounds[index].Add(result);
                BenchContext.Progress($"history round {round + 1}/{context.Options.Rounds} {variant.Key} @ {history}: {Fmt.Rate(result.CallsPerSecond)} calls/s, p50 {Fmt.Duration(result.P50Nanoseconds)}, p99 {Fmt.Duration(result.P99Nanoseconds)}, load {result.Load}");
            }
        }

        var table = new MarkdownTable("variant", "events per grain at the start", "at the end (mean)", "calls/s", "p50", "p99", "mean", "load avg 1 min (min-max over rounds)");
        for (int i = 0; i < cases.Count; i++)
        {
            List<CallRound> results = rounds[i];
            long atEnd = await StoredEventsAsync(cases[i].Variant, cases[i].History, cases[i].Grains, results.Sum(r => r.Calls));
            table.Add(cases[i].Variant.Title, cases[i].History.ToString("#,0", CultureInfo.InvariantCulture),
                Fmt.Count(atEnd / cases[i].Grains.Count),
                Fmt.Rate(Statistics.Median(results.Select(r => r.CallsPerSecond))),
                Fmt.Duration(Statistics.Median(results.Select(r => r.P50Nanoseconds))),
                Fmt.Duration(Statistics.Median(results.Select(r => r.P99Nanoseconds))),
                Fmt.Duration(Statistics.Median(results.Select(r => r.Latencies.MeanNanoseconds))),
                Fmt.Invariant($"{results.Min(r => r.Load.OneMinute):0.00}-{results.Max(r => r.Load.OneMinute):0.00}"));
        }

        TextWriter output = context.Output;
        output.WriteLine($"### 2. Cost per call with a history of events ({context.Options.Callers} callers, one grain each)");
        output.WriteLine();
        output.WriteLine($"History given untimed in confirmed batches of up to {FillBatchEvents:#,0} events; each measured call adds one more. Medians over {context.Options.Rounds} interleaved rounds of {context.Options.SecondsPerRound:0.#} s.");
        output.WriteLine();
        output.WriteLine(table);
    }

    /// <summary>The events the grains hold after the rounds: at least their history plus the calls counted, or the benchmark counted calls that stored nothing.</summary>
    private static async Task<long> StoredEventsAsync(BenchVariant variant, int history, IReadOnlyList<IBenchGrain> grains, long calls)
    {
        long[] events = await Task.WhenAll(grains.Select(g => g.Writes()));
        long expectedAtLeast = ((long)history * grains.Count) + calls;
        return events.Sum() >= expectedAtLeast
            ? events.Sum()
            : throw new InvalidOperationException(
                $"{variant.Key} @ {history}: the grains hold {events.Sum()} events; history and counted calls make {expectedAtLeast}");
    }
}
