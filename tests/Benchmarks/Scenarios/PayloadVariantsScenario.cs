using System.Diagnostics;
using System.Text;
using Actors.Benchmarks.Infrastructure;
using Actors.Benchmarks.Wal;
using Actors.Persistence.Wal;
using Actors.Persistence.Wal.Format;
using Actors.Wal;
using Actors.Wal.Encryption;

namespace Actors.Benchmarks.Scenarios;

/// <summary>
/// Issue #17's payload settings side by side in one run (rounds interleaved, medians): appending JSON event records
/// (encoded with the grain store's envelope code, compressed or not) through 16 writers into logs that encrypt or not,
/// then replaying every stream and decoding each record; plus the bytes the log holds. The first variant is the baseline.
/// </summary>
internal abstract class PayloadVariantsScenario : IScenario
{
    private const int Streams = 1_000;
    private const int Writers = 16;

    public abstract int Number { get; }

    public abstract string Key { get; }

    public abstract string Title { get; }

    /// <summary>The settings compared, baseline first.</summary>
    protected abstract IReadOnlyList<PayloadVariant> Variants { get; }

    public async Task RunAsync(RunContext context, CancellationToken cancellationToken)
    {
        int eventsPerStream = context.Quick ? 20 : 100;
        int rounds = context.Quick ? 1 : 3;
        context.Report.Note($"\n{Fmt.Count(Streams)} streams x {eventsPerStream} JSON events (~300 B each, typical field names and values), " +
            $"appended by {Writers} writers under SyncPolicy.Always (group commit), then every stream read back (ReadEventsAsync) and each record " +
            $"decoded (GrainRecord.TryRead). {rounds} round(s) per setting, interleaved; medians.\n");
        var results = Variants.ToDictionary(v => v, _ => new List<(double Append, double Replay, long Bytes)>());
        for (int round = 0; round < rounds; round++)
        {
            foreach (PayloadVariant variant in Variants)
            {
                results[variant].Add(await RunOnceAsync(context.NewDirectory($"{Key}-{variant.DirectoryName}"), variant, eventsPerStream, cancellationToken));
            }
        }

        var table = new Table("records", "append records/s", "replay records/s", "log bytes", $"bytes vs {Variants[0].Name}", $"append vs {Variants[0].Name}", $"replay vs {Variants[0].Name}");
        var baseline = results[Variants[0]];
        double baseBytes = Median(baseline.Select(r => (double)r.Bytes));
        double baseAppend = Median(baseline.Select(r => r.Append));
        double baseReplay = Median(baseline.Select(r => r.Replay));
        foreach (PayloadVariant variant in Variants)
        {
            var runs = results[variant];
            double bytes = Median(runs.Select(r => (double)r.Bytes));
            double append = Median(runs.Select(r => r.Append));
            double replay = Median(runs.Select(r => r.Replay));
            table.Add(variant.Name, Fmt.Rate(append), Fmt.Rate(replay), Fmt.Bytes(bytes), Fmt.Ratio(bytes, baseBytes), Fmt.Ratio(append, baseAppend), Fmt.Ratio(replay, baseReplay));
        }

        context.Report.Print(table);
    }

    private static async Task<(double Append, double Replay, long Bytes)> RunOnceAsync(string dir, PayloadVariant variant, int eventsPerStream, CancellationToken cancellationToken)
    {
        WriteAheadLogOptions Options()
        {
            var options = WalFactory.Options(dir, SyncPolicy.Always);
            options.Encryption = variant.Keys;
            return options;
        }

        try
        {
            double append;
            await using (IEventLog log = await WalFactory.OpenAsync(Options(), cancellationToken))
            {
                long t0 = Stopwatch.GetTimestamp();
                await Parallel.ForEachAsync(Enumerable.Range(0, Writers), cancellationToken, async (w, ct) =>
                {
                    for (int v = 1; v <= eventsPerStream; v++)
                    {
                        for (int s = w; s < Streams; s += Writers)
                        {
                            byte[] record = GrainRecordCompression.ToArray(new GrainRecord(GrainRecordKind.JournalEvent, "", "order-line-added", Event(s, v)), variant.Compression);
                            await log.AppendAsync($"order/{s}", v - 1, [record], ct);
                        }
                    }
                });
                append = Streams * (double)eventsPerStream / Stopwatch.GetElapsedTime(t0).TotalSeconds;
            }

            await using IEventLog reopened = await WalFactory.OpenAsync(Options(), cancellationToken);
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

/// <summary>One compared setting: a grain-record compression and the log's encryption keys (null: none).</summary>
internal sealed record PayloadVariant(string Name, RecordCompression Compression, IEncryptionKeyProvider? Keys)
{
    /// <summary>The variant's directory name.</summary>
    public string DirectoryName => new(Name.Select(c => char.IsLetterOrDigit(c) ? char.ToLowerInvariant(c) : '-').ToArray());
}
