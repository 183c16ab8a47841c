using System.Diagnostics;
using Actors.Orleans.Benchmarks.Grains;
using Actors.Orleans.Benchmarks.Machine;
using Actors.Orleans.Benchmarks.Measurement;
using Actors.Orleans.Benchmarks.Reporting;
using Actors.Orleans.Benchmarks.Variants;

namespace Actors.Orleans.Benchmarks.Sections;

/// <summary>
/// How long the first call to a deactivated journaled grain takes: its activation reads the stored history (the WAL: the
/// latest checkpoint and the events after it). Each round deactivates the grains, waits until the silo holds none of
/// them, then calls each once, one call at a time (so calls do not queue behind each other), and checks the count of
/// events the grain recovered; a second call to each gives the warm-call reference.
/// </summary>
public static class ActivationSection
{
    private const long FirstKey = 100_000_000;

    public static async Task RunAsync(BenchContext context, IReadOnlyList<ActivationSubject> subjects)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(subjects);
        var grains = subjects.ToDictionary(s => s, s => context.GrainRange(s.GrainType, FirstKey, context.Options.ActivationGrains));
        foreach (ActivationSubject subject in subjects)
        {
            BenchContext.Progress($"activation: giving {grains[subject].Count} grains of {subject.Variant.Key} {subject.History} (untimed)");
            await Task.WhenAll(grains[subject].Select(async g =>
            {
                if (subject.CheckpointFillerBytes > 0)
                {
                    await g.AddBatch([new byte[subject.CheckpointFillerBytes], context.Payload]);
                }

                await g.AddHistory(context.Payload, subject.LaterEvents, subject.LaterBatch);
            }));
            CheckCheckpoints(context, subject, grains[subject].Count);
        }

        var rounds = subjects.ToDictionary(s => s, _ => new List<(LatencyHistogram First, LatencyHistogram Warm, LatencyHistogram? LogLoad, LoadAverage Load)>());
        for (int round = 0; round < context.Options.Rounds; round++)
        {
            for (int i = 0; i < subjects.Count; i++)
            {
                ActivationSubject subject = subjects[(i + round) % subjects.Count];
                await GrainDeactivator.DeactivateAllAsync(context, grains[subject]);
                long replayedBefore = Replayed(context, subject);
                if (subject.WalProvider is { } provider)
                {
                    context.WalCounters.TakeLoadDurations(provider); // from here on: this round's first calls only
                }

                LatencyHistogram first = await TimeSequentialCallsAsync(subject, grains[subject]);
                LatencyHistogram? logLoad = subject.WalProvider is { } loaded ? context.WalCounters.TakeLoadDurations(loaded) : null;
                CheckReplayed(subject, grains[subject].Count, Replayed(context, subject) - replayedBefore);
                LatencyHistogram warm = await TimeSequentialCallsAsync(subject, grains[subject]);
                LoadAverage load = LoadAverage.Read();
                rounds[subject].Add((first, warm, logLoad, load));
                BenchContext.Progress($"activation round {round + 1}/{context.Options.Rounds} {subject.Variant.Key}: first call p50 {Fmt.Duration(first.Percentile(0.5))}, p99 {Fmt.Duration(first.Percentile(0.99))}; warm p50 {Fmt.Duration(warm.Percentile(0.5))}; load {load}");
            }
        }

        var table = new MarkdownTable("variant", "history per grain", "first call p50", "first call p99", "of which the log's load p50 / p99", "warm call p50", "load avg 1 min (min-max over rounds)");
        foreach (ActivationSubject subject in subjects)
        {
            var results = rounds[subject];
            table.Add(subject.Variant.Title, subject.History,
                Fmt.Duration(Statistics.Median(results.Select(r => r.First.Percentile(0.5)))),
                Fmt.Duration(Statistics.Median(results.Select(r => r.First.Percentile(0.99)))),
                subject.WalProvider is null
                    ? "-"
                    : $"{Fmt.Duration(Statistics.Median(results.Select(r => r.LogLoad!.Percentile(0.5))))} / {Fmt.Duration(Statistics.Median(results.Select(r => r.LogLoad!.Percentile(0.99))))}",
                Fmt.Duration(Statistics.Median(results.Select(r => r.Warm.Percentile(0.5)))),
                Fmt.Invariant($"{results.Min(r => r.Load.OneMinute):0.00}-{results.Max(r => r.Load.OneMinute):0.00}"));
        }

        TextWriter output = context.Output;
        output.WriteLine($"### 3. Activation of a journaled grain ({context.Options.ActivationGrains} grains, one call at a time)");
        output.WriteLine();
        output.WriteLine($"First call after the grain was deactivated (its activation replays the stored history) and the call after it (warm); medians over {context.Options.Rounds} rounds of the per-round p50 and p99. Every first call checks the grain recovered all its events; for the WAL, the providers' counters confirm one checkpoint per grain and exactly the later events replayed at each activation, and its load-duration histogram gives the log's part of the first call (reading the checkpoint and the later events, decoding and applying them).");
        output.WriteLine();
        output.WriteLine(table);
    }

    /// <summary>The WAL's layout, checked: exactly one checkpoint per grain after the history was laid down.</summary>
    private static void CheckCheckpoints(BenchContext context, ActivationSubject subject, int grains)
    {
        if (subject.WalProvider is { } provider && context.WalCounters.Total(WalProviderCounters.CheckpointsWritten, provider) != grains)
        {
            throw new InvalidOperationException(
                $"{subject.Variant.Key}: provider '{provider}' wrote {context.WalCounters.Total(WalProviderCounters.CheckpointsWritten, provider)} checkpoints for {grains} grains (expected one each)");
        }
    }

    private static long Replayed(BenchContext context, ActivationSubject subject) =>
        subject.WalProvider is { } provider ? context.WalCounters.Total(WalProviderCounters.ReplayedEvents, provider) : 0;

    /// <summary>The WAL's activations, checked: each replayed exactly the events after its checkpoint.</summary>
    private static void CheckReplayed(ActivationSubject subject, int grains, long replayed)
    {
        if (subject.WalProvider is not null && replayed != (long)grains * subject.LaterEvents)
        {
            throw new InvalidOperationException(
                $"{subject.Variant.Key}: {grains} activations replayed {replayed} events (expected {subject.LaterEvents} each after the checkpoint)");
        }
    }

    private static async Task<LatencyHistogram> TimeSequentialCallsAsync(ActivationSubject subject, IReadOnlyList<IBenchGrain> grains)
    {
        var latencies = new LatencyHistogram();
        foreach (IBenchGrain grain in grains)
        {
            long before = Stopwatch.GetTimestamp();
            long events = await grain.Writes();
            latencies.RecordTicks(Stopwatch.GetTimestamp() - before);
            if (events != subject.ExpectedEvents)
            {
                throw new InvalidOperationException(
                    $"{subject.Variant.Key}: grain {grain.GetPrimaryKeyLong()} recovered {events} events (expected {subject.ExpectedEvents})");
            }
        }

        return latencies;
    }
}
