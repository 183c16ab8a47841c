using System.Globalization;
using Actors.Benchmarks.Infrastructure;

namespace Actors.Benchmarks.Scenarios;

/// <summary>
/// Not part of <c>all</c> (issue 37 item 4): the entry journal replication writes to (<see cref="Peers.JournalTarget"/>:
/// each writer owns one log of one journal and awaits each entry's sync) against the event log (<see cref="Peers.WalTarget"/>:
/// each writer its own stream, <c>SyncPolicy.Always</c>), on the same disk, at 1, 16 and 256 writers x 100 B and 1 KiB,
/// in interleaved rounds (the two stores alternate within a round and swap order between rounds, so that both see the
/// shared machine in the same states). Each figure is the median of the rounds; the ratios are medians of the per-round
/// ratios. The 1-minute load average is printed beside every round.
/// </summary>
internal sealed class JournalLatencyScenario : IScenario
{
    /// <summary>The limit of issue 37 item 4: the journal's append latency within this many times the event log's.</summary>
    public const double Limit = 1.5;

    private static readonly int[] WriterCounts = [1, 16, 256];
    private static readonly int[] PayloadSizes = [100, 1024];
    private static readonly string[] StoreOrder = [Stores.Journal, Stores.Wal];

    public int Number => 15;

    public string Key => "journal";

    public string Title => "Entry journal vs event log: durable append latency (issue 37 item 4)";

    public async Task RunAsync(RunContext context, CancellationToken cancellationToken)
    {
        int rounds = context.Args.Rounds ?? (context.Quick ? 3 : 5);
        var warmup = TimeSpan.FromSeconds(0.5);
        var window = TimeSpan.FromSeconds(context.Args.Seconds ?? (context.Quick ? 1 : 2));
        int[] writerCounts = context.Args.Writers is { } w ? [w] : WriterCounts;
        int[] sizes = context.Args.PayloadBytes is { } b ? [b] : PayloadSizes;
        var configs = sizes.SelectMany(size => writerCounts.Select(writers => new Workload(writers, size, warmup, window))).ToList();
        var rows = configs.ToDictionary(c => c, _ => new List<JournalRound>());
        for (int round = 0; round < rounds; round++)
        {
            foreach (Workload workload in configs)
            {
                cancellationToken.ThrowIfCancellationRequested();
                string load = LoadAverage();
                var results = new Dictionary<string, ThroughputResult?>();
                foreach (string store in round % 2 == 0 ? StoreOrder : StoreOrder.Reverse())
                {
                    Outcome outcome = await Stores.RunAsync(context, store, workload, cancellationToken);
                    results[store] = outcome.Result;
                }

                rows[workload].Add(new JournalRound(round + 1, load, results[Stores.Journal], results[Stores.Wal]));
            }
        }

        context.Report.Note($"\n{rounds} interleaved rounds per row, each store {warmup.TotalSeconds:0.#} s warm-up + {window.TotalSeconds:0.#} s " +
            "measured in a fresh directory per round; figures are medians of the rounds. Entry journal: each writer owns one " +
            "JournaledEntryLog of one EntryJournal and appends one entry, RequestSync, awaits the sync, CompleteSync. Event log: " +
            "each writer appends one event to its own stream (WriteAheadLog.AppendAsync, SyncPolicy.Always). CPU: this process " +
            "(harness included) per acknowledged append; fsyncs/append: the store's own counters over the window.\n");
        var table = new Table("writers", "event", "store", "appends/s", "p50", "p99", "CPU µs/append", "fsyncs/append", "load (1 min) per round");
        foreach (Workload workload in configs)
        {
            List<JournalRound> measured = rows[workload];
            string loads = string.Join(" ", measured.Select(r => r.Load));
            AddRow(table, workload, Stores.Journal, measured.Select(r => r.Journal).ToList(), loads);
            AddRow(table, workload, Stores.WalLabel(Actors.Wal.SyncPolicy.Always), measured.Select(r => r.Wal).ToList(), loads);
        }

        context.Report.Print(table);
        PrintRatios(context, configs, rows);
        PrintRounds(context, configs, rows);
    }

    private static void AddRow(Table table, Workload workload, string store, List<ThroughputResult?> rounds, string loads)
    {
        List<ThroughputResult> ok = rounds.OfType<ThroughputResult>().ToList();
        string Median(Func<ThroughputResult, double?> figure, Func<double, string> format) =>
            ok.Count < rounds.Count ? $"failed in {rounds.Count - ok.Count} of {rounds.Count} rounds"
            : MedianOf(ok.Select(figure)) is { } m ? format(m) : "-";

        table.Add(
            Fmt.Count(workload.Writers),
            Fmt.Bytes(workload.PayloadBytes),
            store,
            Median(r => r.OpsPerSecond, v => Fmt.Rate(v)),
            Median(r => r.P50?.TotalMicroseconds, v => Fmt.Latency(TimeSpan.FromMicroseconds(v))),
            Median(r => r.P99?.TotalMicroseconds, v => Fmt.Latency(TimeSpan.FromMicroseconds(v))),
            Median(r => r.CpuMicrosecondsPerOp, v => Fmt.Number(v)),
            Median(r => r.Counters is { Appends: > 0 } c ? (double)c.Fsyncs / c.Appends : null, v => Fmt.Number(v, "0.000")),
            loads);
    }

    private static void PrintRatios(RunContext context, List<Workload> configs, Dictionary<Workload, List<JournalRound>> rows)
    {
        context.Report.Note("\nRatios within each round (journal ÷ event log; for appends/s event log ÷ journal, so above 1 means the journal is slower), " +
            $"median of the rounds, and the range over the rounds. Issue 37 item 4: the journal's latency within {Limit}× the event log's.\n");
        var table = new Table("writers", "event", "p50 ratio (median)", "p50 ratio (range)", "p99 ratio (median)", "appends/s ratio (median)", "CPU/append ratio (median)");
        foreach (Workload workload in configs)
        {
            List<JournalRound> measured = rows[workload];
            double?[] p50 = measured.Select(r => Ratio(r, x => x.P50?.TotalMicroseconds)).ToArray();
            double?[] p99 = measured.Select(r => Ratio(r, x => x.P99?.TotalMicroseconds)).ToArray();
            double?[] rate = measured.Select(r => Ratio(r, x => x.OpsPerSecond is > 0 ? 1 / x.OpsPerSecond : null)).ToArray();
            double?[] cpu = measured.Select(r => Ratio(r, x => x.CpuMicrosecondsPerOp)).ToArray();
            double[] p50Known = p50.OfType<double>().ToArray();
            table.Add(
                Fmt.Count(workload.Writers),
                Fmt.Bytes(workload.PayloadBytes),
                Times(MedianOf(p50)),
                p50Known.Length == 0 ? "-" : $"{Times(p50Known.Min())} - {Times(p50Known.Max())}",
                Times(MedianOf(p99)),
                Times(MedianOf(rate)),
                Times(MedianOf(cpu)));
            if (workload.Writers == 256)
            {
                context.AddGoal(new GoalResult(
                    $"256 writers, {Fmt.Bytes(workload.PayloadBytes)}: entry journal p50 ≤ {Limit}× the event log's (issue 37 item 4)",
                    $"{Times(MedianOf(p50))} (median of {measured.Count} interleaved rounds; p99 {Times(MedianOf(p99))})",
                    Goals.AtMost(MedianOf(p50), Limit)));
            }
        }

        context.Report.Print(table);
    }

    private static void PrintRounds(RunContext context, List<Workload> configs, Dictionary<Workload, List<JournalRound>> rows)
    {
        context.Report.Note("\nEach round (1-minute load average when the round's pair started):\n");
        var table = new Table("writers", "event", "round", "load", "journal appends/s", "journal p50", "journal p99", "log appends/s", "log p50", "log p99", "p50 ratio");
        foreach (Workload workload in configs)
        {
            foreach (JournalRound r in rows[workload])
            {
                table.Add(
                    Fmt.Count(workload.Writers),
                    Fmt.Bytes(workload.PayloadBytes),
                    r.Number.ToString(CultureInfo.InvariantCulture),
                    r.Load,
                    Fmt.Rate(r.Journal?.OpsPerSecond),
                    Fmt.Latency(r.Journal?.P50),
                    Fmt.Latency(r.Journal?.P99),
                    Fmt.Rate(r.Wal?.OpsPerSecond),
                    Fmt.Latency(r.Wal?.P50),
                    Fmt.Latency(r.Wal?.P99),
                    Times(Ratio(r, x => x.P50?.TotalMicroseconds)));
            }
        }

        context.Report.Print(table);
    }

    private static double? Ratio(JournalRound round, Func<ThroughputResult, double?> figure) =>
        round.Journal is { } j && round.Wal is { } w && figure(j) is { } a && figure(w) is { } b && b > 0 ? a / b : null;

    /// <summary>The median of the known values (the mean of the middle two for an even count), or null when none is known.</summary>
    private static double? MedianOf(IEnumerable<double?> values)
    {
        double[] known = values.OfType<double>().Order().ToArray();
        if (known.Length == 0)
        {
            return null;
        }

        int middle = known.Length / 2;
        return known.Length % 2 == 1 ? known[middle] : (known[middle - 1] + known[middle]) / 2;
    }

    private static string Times(double? ratio) => ratio is { } r ? r.ToString("0.00", CultureInfo.InvariantCulture) + "×" : "n/a";

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";

    /// <summary>One round of one configuration: both stores' results (null when a store failed) and the load when it started.</summary>
    private sealed record JournalRound(int Number, string Load, ThroughputResult? Journal, ThroughputResult? Wal);
}
