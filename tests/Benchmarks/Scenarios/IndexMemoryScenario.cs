using Actors.Benchmarks.Infrastructure;
using Actors.Benchmarks.Peers;
using Actors.Benchmarks.Wal;
using Actors.Wal;
using Npgsql;
using NpgsqlTypes;

namespace Actors.Benchmarks.Scenarios;

/// <summary>
/// Scenario 5: index memory per stream. Managed heap (GC.GetTotalMemory(true)) before and after, divided by
/// the number of streams, each with one 16 B event; measured live (after appending) and after reopening.
/// The stream ids are created on the fly and not kept by the benchmark, so whatever the engine retains for
/// them (id strings, dictionary entries, per-stream records, position lists) is included; so are the log's
/// own buffers (one-off, amortized over the streams). Native memory and the page cache are not included.
/// Peer: PostgreSQL's primary-key index on disk per stream (a different resource, shown for scale).
/// </summary>
internal sealed class IndexMemoryScenario : IScenario
{
    public int Number => 5;

    public string Key => "memory";

    public string Title => "Index memory per stream";

    private static string Id(int i) => $"idx/{i}";

    public async Task RunAsync(RunContext context, CancellationToken cancellationToken)
    {
        int streams = context.Quick ? 100_000 : 1_000_000;
        double idStringBytes = Enumerable.Range(0, streams).Average(i => (double)(((22 + (2 * Id(i).Length)) + 7) & ~7));
        var table = new Table("store", "what is measured", "streams", "bytes per stream");
        double? reopened = null;
        double? live = null;
        TimeSpan? openTime = null;
        if (WalFactory.IsAvailable)
        {
            string dir = context.NewDirectory("memory");
            try
            {
                Report.Progress($"  WAL: {Fmt.Count(streams)} streams");
                (live, reopened, openTime) = await MeasureWalAsync(dir, streams, cancellationToken);
                table.Add("Actors WAL", "managed heap growth while appending (live index)", Fmt.Count(streams), Fmt.Number(live.Value));
                table.Add("Actors WAL", "managed heap of the reopened log (index rebuilt/loaded at open)", Fmt.Count(streams), Fmt.Number(reopened.Value));
                table.Add("Actors WAL", "open after a clean close (wall time, page cache warm)", Fmt.Count(streams), Fmt.Latency(openTime));
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Report.Progress($"    failed: {ex.GetType().Name}: {ex.Message}");
                table.Add("Actors WAL", "managed heap", Fmt.Count(streams), $"failed ({ex.GetType().Name})");
            }
            finally
            {
                Directory.Delete(dir, recursive: true);
            }
        }
        else
        {
            table.Add("Actors WAL", "managed heap growth (live and reopened)", Fmt.Count(streams), "pending");
        }

        table.Add("(reference)", "a .NET string per id, if an index keeps one (ids 'idx/0'..)", Fmt.Count(streams), Fmt.Number(idStringBytes));
        await AddPostgresAsync(context, table, streams, cancellationToken);
        context.Report.Note($"\nEach stream holds one 16 B event. Managed heap via GC.GetTotalMemory(forceFullCollection: true); " +
            "it includes everything the engine keeps on the managed heap for the streams (ids, index entries) plus its fixed buffers " +
            "amortized over the streams; native memory and the OS page cache are excluded.\n");
        context.Report.Print(table);
        context.AddGoal(new GoalResult(
            "≤ 64 bytes of index per idle stream",
            reopened is { } r ? $"{Fmt.Number(r)} B/stream after reopen, {Fmt.Number(live!.Value)} B/stream live ({Fmt.Count(streams)} streams)" : WalFactory.IsAvailable ? "failed" : "pending",
            Goals.AtMost(reopened, 64)));
        context.AddGoal(new GoalResult(
            $"open after a clean close of {Fmt.Count(streams)} streams ≤ 500 ms",
            openTime is { } t ? Fmt.Latency(t) : WalFactory.IsAvailable ? "failed" : "pending",
            Goals.AtMost(openTime?.TotalMilliseconds, 500)));
    }

    private static async Task<(double Live, double Reopened, TimeSpan OpenTime)> MeasureWalAsync(string dir, int streams, CancellationToken cancellationToken)
    {
        ReadOnlyMemory<byte>[] one = [new byte[16]];
        long before;
        long after;
        await using (IEventLog log = await WalFactory.OpenAsync(WalFactory.Options(dir, SyncPolicy.None), cancellationToken))
        {
            before = GC.GetTotalMemory(forceFullCollection: true);
            await Parallel.ForEachAsync(
                Enumerable.Range(0, streams),
                new ParallelOptions { MaxDegreeOfParallelism = 64, CancellationToken = cancellationToken },
                async (i, ct) => await log.AppendAsync(Id(i), ExpectedVersion.NoStream, one, ct));
            await log.FlushAsync(cancellationToken);
            after = GC.GetTotalMemory(forceFullCollection: true);
            if (log.GetStatistics().StreamCount < streams)
            {
                throw new InvalidOperationException($"The log reports {log.GetStatistics().StreamCount} streams, expected {streams}.");
            }
        }

        double live = (double)(after - before) / streams;
        long empty = GC.GetTotalMemory(forceFullCollection: true);
        var opening = System.Diagnostics.Stopwatch.StartNew();
        await using IEventLog reopened = await WalFactory.OpenAsync(WalFactory.Options(dir, SyncPolicy.Always), cancellationToken);
        TimeSpan openTime = opening.Elapsed;
        long loaded = GC.GetTotalMemory(forceFullCollection: true);
        if (reopened.GetStatistics().StreamCount < streams)
        {
            throw new InvalidOperationException($"The reopened log reports {reopened.GetStatistics().StreamCount} streams, expected {streams}.");
        }

        return (live, (double)(loaded - empty) / streams, openTime);
    }

    private static async Task AddPostgresAsync(RunContext context, Table table, int streams, CancellationToken cancellationToken)
    {
        if (context.Postgres is null)
        {
            table.Add("PostgreSQL", "primary-key index on disk (pg_relation_size)", Fmt.Count(streams), Fmt.NotRun);
            return;
        }

        Report.Progress($"  PostgreSQL: {Fmt.Count(streams)} streams (COPY)");
        await using NpgsqlDataSource source = PostgresTarget.CreateDataSource(context.Postgres, 2);
        await using (NpgsqlCommand setup = source.CreateCommand(PostgresTarget.CreateSchemaSql + "TRUNCATE events;"))
        {
            await setup.ExecuteNonQueryAsync(cancellationToken);
        }

        byte[] payload = new byte[16];
        await using (NpgsqlConnection connection = await source.OpenConnectionAsync(cancellationToken))
        {
            await using NpgsqlBinaryImporter copy = await connection.BeginBinaryImportAsync(
                "COPY events (stream_id, version, payload) FROM STDIN (FORMAT BINARY)", cancellationToken);
            for (int i = 0; i < streams; i++)
            {
                await copy.StartRowAsync(cancellationToken);
                await copy.WriteAsync(Id(i), NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(1L, NpgsqlDbType.Bigint, cancellationToken);
                await copy.WriteAsync(payload, NpgsqlDbType.Bytea, cancellationToken);
            }

            await copy.CompleteAsync(cancellationToken);
        }

        await using (NpgsqlCommand vacuum = source.CreateCommand("VACUUM ANALYZE events"))
        {
            await vacuum.ExecuteNonQueryAsync(cancellationToken);
        }

        await using NpgsqlCommand size = source.CreateCommand("SELECT pg_relation_size('events_pkey'), pg_total_relation_size('events')");
        await using NpgsqlDataReader reader = await size.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        table.Add("PostgreSQL", "primary-key index on disk (pg_relation_size)", Fmt.Count(streams), Fmt.Number((double)reader.GetInt64(0) / streams));
        table.Add("PostgreSQL", "table + indexes on disk (pg_total_relation_size)", Fmt.Count(streams), Fmt.Number((double)reader.GetInt64(1) / streams));
    }
}
