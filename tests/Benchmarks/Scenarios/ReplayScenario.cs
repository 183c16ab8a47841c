using System.Diagnostics;
using Actors.Benchmarks.Infrastructure;

namespace Actors.Benchmarks.Scenarios;

/// <summary>
/// Scenario 3: activation replay. A stream has 10 events, a checkpoint at version 10 (1 KiB of state), then
/// 0, 100, 1,000 or 10,000 later events of 100 B. Reading it back (checkpoint + later events) is timed in a log
/// holding only these streams, and in one where the same streams are interleaved with many other streams.
/// Peers: PostgreSQL (latest snapshot row + the event rows after it, one round trip) and file-per-grain (read
/// the one state file, whose size does not depend on history).
/// </summary>
internal sealed partial class ReplayScenario : IScenario
{
    private const int EventBytes = 100;
    private const int CheckpointBytes = 1024;
    private const int EventsBeforeCheckpoint = 10;
    private static readonly int[] LaterEvents = [0, 100, 1_000, 10_000];

    public int Number => 3;

    public string Key => "replay";

    public string Title => "Activation replay (checkpoint + later events)";

    private static string TargetStream(int laterEvents) => $"replay/{laterEvents}";

    private static string OtherStream(int i) => $"other/{i}";

    public async Task RunAsync(RunContext context, CancellationToken cancellationToken)
    {
        int others = context.Quick ? 100_000 : 1_000_000;
        int otherFiles = context.Quick ? 10_000 : 100_000;
        var columns = new List<(string Name, Dictionary<int, ReplayFigure> Figures)>
        {
            ("WAL, alone", await WalAsync(context, 0, cancellationToken)),
            ($"WAL, among {Fmt.Count(others)} streams", await WalAsync(context, others, cancellationToken)),
            ("PostgreSQL, alone", await PostgresAsync(context, 0, cancellationToken)),
            ($"PostgreSQL, among {Fmt.Count(others)} streams", await PostgresAsync(context, others, cancellationToken)),
            ("file-per-grain, alone", FilePerGrain(context, 0)),
            ($"file-per-grain, among {Fmt.Count(otherFiles)} files", FilePerGrain(context, otherFiles)),
        };

        context.Report.Note("\nMedian (p99) time to read one stream's checkpoint and the events after it, warm page cache, after reopening " +
            "the log (PostgreSQL keeps running; one round trip with two statements), after a few untimed reads; each read's result is checked (checkpoint version and event count). file-per-grain reads one 1 KiB state file: its cost " +
            $"does not depend on history, but each of its writes rewrote the whole state. Its crowded directory holds {Fmt.Count(otherFiles)} files " +
            "(1,000,000 files of 4 KiB blocks would take 4 GiB and minutes to create).\n");
        var headers = new List<string> { "later events" };
        headers.AddRange(columns.Select(c => c.Name));
        headers.Add("PostgreSQL time ÷ WAL time (crowded)");
        var table = new Table([.. headers]);
        foreach (int later in LaterEvents)
        {
            var cells = new List<string> { Fmt.Count(later) };
            cells.AddRange(columns.Select(c => c.Figures.TryGetValue(later, out ReplayFigure? f) ? f.Cell : "n/a"));
            double? wal = columns[1].Figures.GetValueOrDefault(later)?.Median?.TotalSeconds;
            double? pg = columns[3].Figures.GetValueOrDefault(later)?.Median?.TotalSeconds;
            cells.Add(Fmt.Ratio(pg, wal));
            table.Add([.. cells]);
        }

        context.Report.Print(table);
        foreach ((string name, Dictionary<int, ReplayFigure> figures) in columns.Take(2))
        {
            ReplayFigure? f = figures.GetValueOrDefault(1_000);
            context.AddGoal(new GoalResult(
                $"replay of 1,000 events after a checkpoint < 2 ms ({name})",
                f?.Cell ?? "n/a",
                Goals.AtMost(f?.Median?.TotalMilliseconds, 2)));
        }
    }

    private static Dictionary<int, ReplayFigure> Pending(string status) =>
        LaterEvents.ToDictionary(e => e, _ => new ReplayFigure(null, null, status));

    /// <summary>Times <paramref name="read"/> repeatedly; each call returns (checkpoint version, event count) for checking.</summary>
    private static async Task<ReplayFigure> TimeReadsAsync(int laterEvents, int repetitions, Func<Task<(long Checkpoint, int Events)>> read)
    {
        var histogram = new LatencyHistogram();
        int warmup = Math.Max(2, repetitions / 10);
        for (int i = -warmup; i < repetitions; i++)
        {
            long t0 = Stopwatch.GetTimestamp();
            (long checkpoint, int events) = await read();
            if (i >= 0)
            {
                histogram.Record(Stopwatch.GetTimestamp() - t0);
            }

            if (checkpoint != EventsBeforeCheckpoint || events != laterEvents)
            {
                return new ReplayFigure(null, null, $"wrong result (checkpoint {checkpoint}, {events} events)");
            }
        }

        return new ReplayFigure(histogram.Percentile(50), histogram.Percentile(99), "ok");
    }

    private static int Repetitions(RunContext context, int laterEvents) =>
        (context.Quick, laterEvents) switch
        {
            (true, >= 10_000) => 20,
            (true, _) => 100,
            (false, >= 10_000) => 50,
            (false, _) => 500,
        };

    private static byte[] Payload(int bytes, int seed)
    {
        byte[] payload = new byte[bytes];
        new Random(seed).NextBytes(payload);
        return payload;
    }

    /// <summary>The timing of one column's reads for one history length.</summary>
    private sealed record ReplayFigure(TimeSpan? Median, TimeSpan? P99, string Status)
    {
        public string Cell => Median is null ? Status : $"{Fmt.Latency(Median)} ({Fmt.Latency(P99)})";
    }
}
