using Actors.Orleans.Benchmarks.Grains;
using Actors.Orleans.Benchmarks.Measurement;
using Actors.Orleans.Benchmarks.Reporting;
using Actors.Orleans.Benchmarks.Variants;

namespace Actors.Orleans.Benchmarks.Sections;

/// <summary>
/// Every chosen variant side by side: the callers, each on its own grain, make one durable write per call. Each round
/// runs every variant once (warm-up, then the measured period), starting one variant later than the round before, so a
/// slow phase of the machine does not always hit the same variant; the table gives medians over rounds.
/// </summary>
public static class ThroughputSection
{
    public static async Task RunAsync(BenchContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        IReadOnlyList<BenchVariant> variants = context.Options.Variants;
        var grains = variants.ToDictionary(v => v, v => context.GrainRange(v.GrainType, 0, context.Options.Callers));
        foreach (BenchVariant variant in variants)
        {
            BenchContext.Progress($"throughput: activating {grains[variant].Count} grains of {variant.Key} (first write, untimed)");
            await Task.WhenAll(grains[variant].Select(g => g.Write(context.Payload)));
        }

        var rounds = variants.ToDictionary(v => v, _ => new List<CallRound>());
        var perRound = new MarkdownTable("round", "variant", "calls/s", "p50", "p99", "mean", "alloc B/call", "load avg (1/5/15 min)");
        for (int round = 0; round < context.Options.Rounds; round++)
        {
            foreach (BenchVariant variant in RoundOrder(variants, round))
            {
                CallRound result = await ClosedLoopRunner.RunAsync(grains[variant], context.Payload, context.Warmup, context.Measured);
                rounds[variant].Add(result);
                perRound.Add((round + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), variant.Title,
                    Fmt.Rate(result.CallsPerSecond), Fmt.Duration(result.P50Nanoseconds), Fmt.Duration(result.P99Nanoseconds),
                    Fmt.Duration(result.Latencies.MeanNanoseconds), Fmt.Invariant($"{result.AllocatedBytesPerCall:#,0}"), result.Load.ToString());
                BenchContext.Progress($"throughput round {round + 1}/{context.Options.Rounds} {variant.Key}: {Fmt.Rate(result.CallsPerSecond)} calls/s, p50 {Fmt.Duration(result.P50Nanoseconds)}, p99 {Fmt.Duration(result.P99Nanoseconds)}, mean {Fmt.Duration(result.Latencies.MeanNanoseconds)}, {result.AllocatedBytesPerCall:#,0} B allocated per call, {result.CpuMicrosecondsPerCall:0.0} µs CPU per call, load {result.Load}");
            }
        }

        Dictionary<BenchVariant, long> stored = await VerifyWritesAsync(context, grains, rounds);
        var summary = new MarkdownTable("variant", "calls/s", "p50", "p99", "mean", "÷ memory calls/s", "writes per grain at the end (mean)", "load avg 1 min (min-max over rounds)");
        double? memory = rounds.TryGetValue(VariantCatalog.MemoryState, out List<CallRound>? memoryRounds)
            ? Statistics.Median(memoryRounds.Select(r => r.CallsPerSecond))
            : null;
        foreach (BenchVariant variant in variants)
        {
            List<CallRound> results = rounds[variant];
            double callsPerSecond = Statistics.Median(results.Select(r => r.CallsPerSecond));
            summary.Add(variant.Title, Fmt.Rate(callsPerSecond),
                Fmt.Duration(Statistics.Median(results.Select(r => r.P50Nanoseconds))),
                Fmt.Duration(Statistics.Median(results.Select(r => r.P99Nanoseconds))),
                Fmt.Duration(Statistics.Median(results.Select(r => r.Latencies.MeanNanoseconds))),
                memory is { } m ? Fmt.Invariant($"{callsPerSecond / m:0.00}×") : "-",
                Fmt.Count(stored[variant] / grains[variant].Count),
                Fmt.Invariant($"{results.Min(r => r.Load.OneMinute):0.00}-{results.Max(r => r.Load.OneMinute):0.00}"));
        }

        TextWriter output = context.Output;
        output.WriteLine($"### 1. Durable writes: {context.Options.Callers} closed-loop callers, one grain each, {context.Options.PayloadBytes} B per write");
        output.WriteLine();
        output.WriteLine($"Medians over {context.Options.Rounds} interleaved rounds of {context.Options.SecondsPerRound:0.#} s (each after {context.Options.WarmupSeconds:0.#} s of untimed calls).");
        output.WriteLine();
        output.WriteLine(summary);
        output.WriteLine("Mean: with every caller in a call all the time, callers ÷ calls/s; a mean far above p99 means rare long stalls (a descheduled process, a garbage collection).");
        output.WriteLine();
        output.WriteLine("Writes per grain: what each grain's storage holds after the last round, read back after deactivating it (for a journaled grain, its events: LogStorage rewrites that many on every call by the end).");
        output.WriteLine();
        output.WriteLine("Every round:");
        output.WriteLine();
        output.WriteLine(perRound);
    }

    /// <summary>Round <paramref name="round"/> starts at variant <c>round mod count</c> and wraps around.</summary>
    private static IEnumerable<BenchVariant> RoundOrder(IReadOnlyList<BenchVariant> variants, int round) =>
        Enumerable.Range(0, variants.Count).Select(i => variants[(i + round) % variants.Count]);

    /// <summary>
    /// Reads every grain's count of stored writes, deactivates the grains and reads the counts again from storage: each
    /// must be unchanged, and their sum at least the calls counted (the first write and the warm-ups add more), or the
    /// benchmark counted calls that did not store anything. Returns each variant's sum.
    /// </summary>
    private static async Task<Dictionary<BenchVariant, long>> VerifyWritesAsync(
        BenchContext context, Dictionary<BenchVariant, IReadOnlyList<IBenchGrain>> grains, Dictionary<BenchVariant, List<CallRound>> rounds)
    {
        var stored = new Dictionary<BenchVariant, long>();
        foreach ((BenchVariant variant, IReadOnlyList<IBenchGrain> variantGrains) in grains)
        {
            long[] before = await Task.WhenAll(variantGrains.Select(g => g.Writes()));
            await GrainDeactivator.DeactivateAllAsync(context, variantGrains);
            long[] after = await Task.WhenAll(variantGrains.Select(g => g.Writes()));
            long counted = rounds[variant].Sum(r => r.Calls);
            int changed = Enumerable.Range(0, before.Length).Count(i => before[i] != after[i]);
            if (changed > 0 || after.Sum() < counted)
            {
                throw new InvalidOperationException(
                    $"{variant.Key}: {changed} grains read back a different count after reactivation; they hold {after.Sum()} writes, the rounds counted {counted} calls");
            }

            BenchContext.Progress($"throughput: {variant.Key} grains read back {after.Sum()} writes after reactivation ({counted} calls counted)");
            stored[variant] = after.Sum();
        }

        return stored;
    }
}
