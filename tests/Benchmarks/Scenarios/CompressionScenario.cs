using System.Diagnostics;
using System.Text;
using Actors.Benchmarks.Infrastructure;
using Actors.Benchmarks.Wal;
using Actors.Persistence.Wal;
using Actors.Persistence.Wal.Format;
using Actors.Wal;

namespace Actors.Benchmarks.Scenarios;

/// <summary>
/// Scenario 11 (issue #17): grain records with <see cref="RecordCompression.Brotli"/> against plain ones, in the same run
/// (rounds interleaved, medians): appending JSON event records (encoded with the store's envelope code) through 16
/// writers, then replaying every stream and decoding each record; plus the bytes the log holds.
/// </summary>
internal sealed class CompressionScenario : IScenario
{
    private const int Streams = 1_000;
    private const int Writers = 16;

    public int Number => 11;

    public string Key => "compression";

    public string Title => "Record compression (Brotli) vs plain: append, replay, size";

    public async Task RunAsync(RunContext context, CancellationToken cancellationToken)
    {
        int eventsPerStream = context.Quick ? 20 : 100;
        int rounds = context.Quick ? 1 : 3;
        context.Report.Note($"\n{Fmt.Count(Streams)} streams x {eventsPerStream} JSON events (~300 B each, typical field names and values), " +
            $"appended by {Writers} writers under SyncPolicy.Always (group commit), then every stream read back (ReadEventsAsync) and each record " +
            $"decoded (GrainRecord.TryRead). {rounds} round(s) per setting, interleaved; medians.\n");
        var results = new Dictionary<RecordCompression, List<(double Append, double Replay, long Bytes)>>
        {
            [RecordCompression.None] = [],
            [RecordCompression.Brotli] = [],
        };
        for (int round = 0; round < rounds; round++)
        {
            foreach (RecordCompression compression in results.Keys.ToArray())
            {
                results[compression].Add(await RunOnceAsync(context.NewDirectory($"compression-{compression}"), compression, eventsPerStream, cancellationToken));
            }
        }

        var table = new Table("records", "append records/s", "replay records/s", "log bytes", "vs plain");
        double plainBytes = Median(results[RecordCompression.None].Select(r => (double)r.Bytes));
        foreach ((RecordCompression compression, var runs) in results)
        {
            double bytes = Median(runs.Select(r => (double)r.Bytes));
            table.Add(compression.ToString(), Fmt.Rate(Median(runs.Select(r => r.Append))), Fmt.Rate(Median(runs.Select(r => r.Replay))), Fmt.Bytes(bytes), Fmt.Ratio(bytes, plainBytes));
        }

        context.Report.Print(table);
    }

    private static async Task<(double Append, double Replay, long Bytes)> RunOnceAsync(string dir, RecordCompression compression, int eventsPerStream, CancellationToken cancellationToken)
    {
        try
        {
            double append;
            await using (IEventLog log = await WalFactory.OpenAsync(WalFactory.Options(dir, SyncPolicy.Always), cancellationToken))
            {
                long t0 = Stopwatch.GetTimestamp();
                await Parallel.ForEachAsync(Enumerable.Range(0, Writers), cancellationToken, async (w, ct) =>
                {
                    for (int v = 1; v <= eventsPerStream; v++)
                    {
                        for (int s = w; s < Streams; s += Writers)
                        {
                            byte[] record = GrainRecordCompression.ToArray(new GrainRecord(GrainRecordKind.JournalEvent, "", "order-line-added", Event(s, v)), compression);
                            await log.AppendAsync($"order/{s}", v - 1, [record], ct);
                        }
                    }
                });
                append = Streams * (double)eventsPerStream / Stopwatch.GetElapsedTime(t0).TotalSeconds;
            }

            await using IEventLog reopened = await WalFactory.OpenAsync(WalFactory.Options(dir, SyncPolicy.Always), cancellationToken);
            long t1 = Stopwatch.GetTimestamp();
            long decoded = 0;
            for (int s = 0; s < Streams; s++)
            {
                foreach (StoredEvent stored in await reopened.ReadEventsAsync($"order/{s}", 1, eventsPerStream, cancellationToken))
                {
                    decoded += GrainRecord.TryRead(stored.Payload, out GrainRecord record, out string error)
                        ? record.Payload.Length
                        : throw new InvalidOperationException($"order/{s} v{stored.Version}: {error}");
                }
            }

            double replay = Streams * (double)eventsPerStream / Stopwatch.GetElapsedTime(t1).TotalSeconds;
            return (append, replay, reopened.GetStatistics().TotalBytes);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static byte[] Event(int stream, int version) => Encoding.UTF8.GetBytes(
        $"{{\"orderId\":\"order-{stream:D6}\",\"lineNumber\":{version},\"sku\":\"SKU-{(stream * 31 + version) % 9973:D5}\",\"description\":\"Stainless steel water bottle, 750 ml, blue\"," +
        $"\"quantity\":{1 + (version % 4)},\"unitPrice\":{{\"amount\":{19 + (version % 7)}.95,\"currency\":\"EUR\"}},\"warehouse\":\"eu-central-{stream % 3}\",\"addedBy\":\"customer-{stream:D6}\",\"channel\":\"web\"}}");

    private static double Median(IEnumerable<double> values)
    {
        double[] sorted = [.. values.Order()];
        return sorted.Length == 0 ? 0 : sorted[sorted.Length / 2];
    }
}
