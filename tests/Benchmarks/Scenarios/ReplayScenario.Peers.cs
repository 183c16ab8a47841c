using System.Diagnostics;
using Actors.Benchmarks.Infrastructure;
using Actors.Benchmarks.Peers;
using Npgsql;
using NpgsqlTypes;

namespace Actors.Benchmarks.Scenarios;

/// <summary>Scenario 3, the peers' side.</summary>
internal sealed partial class ReplayScenario
{
    private const string SnapshotSql = "SELECT version, payload FROM snapshots WHERE stream_id = $1 ORDER BY version DESC LIMIT 1";

    private const string EventsSql = """
        SELECT version, payload FROM events
        WHERE stream_id = $1 AND version > COALESCE((SELECT max(version) FROM snapshots WHERE stream_id = $1), 0)
        ORDER BY version
        """;

    private static async Task<Dictionary<int, ReplayFigure>> PostgresAsync(RunContext context, int others, CancellationToken cancellationToken)
    {
        if (context.Postgres is null)
        {
            return Pending(Fmt.NotRun);
        }

        try
        {
            await using NpgsqlDataSource source = PostgresTarget.CreateDataSource(context.Postgres, 4);
            Report.Progress($"  PostgreSQL: loading the replay streams and {Fmt.Count(others)} other streams (COPY)");
            await LoadPostgresAsync(source, others, cancellationToken);
            await using NpgsqlConnection connection = await source.OpenConnectionAsync(cancellationToken);
            var figures = new Dictionary<int, ReplayFigure>();
            foreach (int later in LaterEvents)
            {
                await using var batch = new NpgsqlBatch(connection);
                batch.BatchCommands.Add(StreamCommand(SnapshotSql, TargetStream(later)));
                batch.BatchCommands.Add(StreamCommand(EventsSql, TargetStream(later)));
                await batch.PrepareAsync(cancellationToken);
                figures[later] = await TimeReadsAsync(later, Repetitions(context, later), async () =>
                {
                    await using NpgsqlDataReader reader = await batch.ExecuteReaderAsync(cancellationToken);
                    long checkpoint = 0;
                    if (await reader.ReadAsync(cancellationToken))
                    {
                        checkpoint = reader.GetInt64(0);
                        _ = reader.GetFieldValue<byte[]>(1);
                    }

                    await reader.NextResultAsync(cancellationToken);
                    int events = 0;
                    while (await reader.ReadAsync(cancellationToken))
                    {
                        _ = reader.GetInt64(0);
                        _ = reader.GetFieldValue<byte[]>(1);
                        events++;
                    }

                    return (checkpoint, events);
                });
                Report.Progress($"    {later} later events: {figures[later].Cell}");
            }

            return figures;
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException)
        {
            Report.Progress($"    failed: {ex.GetType().Name}: {ex.Message}");
            return Pending($"failed ({ex.GetType().Name})");
        }
    }

    private static NpgsqlBatchCommand StreamCommand(string sql, string stream)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.Add(new NpgsqlParameter<string> { NpgsqlDbType = NpgsqlDbType.Text, TypedValue = stream });
        return command;
    }

    /// <summary>Same rows, same interleaving as the log: others' rows in 100 slices, each followed by a slice of each replay stream.</summary>
    private static async Task LoadPostgresAsync(NpgsqlDataSource source, int others, CancellationToken cancellationToken)
    {
        await using (NpgsqlCommand setup = source.CreateCommand(PostgresTarget.CreateSchemaSql + "TRUNCATE events; TRUNCATE snapshots;"))
        {
            await setup.ExecuteNonQueryAsync(cancellationToken);
        }

        byte[] ev = Payload(EventBytes, 1);
        byte[] checkpoint = Payload(CheckpointBytes, 2);
        await using (NpgsqlConnection connection = await source.OpenConnectionAsync(cancellationToken))
        {
            await using (NpgsqlBinaryImporter copy = await connection.BeginBinaryImportAsync(
                "COPY events (stream_id, version, payload) FROM STDIN (FORMAT BINARY)", cancellationToken))
            {
                foreach (int later in LaterEvents)
                {
                    for (int v = 1; v <= EventsBeforeCheckpoint; v++)
                    {
                        await WriteRowAsync(copy, TargetStream(later), v, ev, cancellationToken);
                    }
                }

                for (int round = 0; round < BuildRounds; round++)
                {
                    int from = (int)((long)others * round / BuildRounds);
                    int to = (int)((long)others * (round + 1) / BuildRounds);
                    for (int i = from; i < to; i++)
                    {
                        await WriteRowAsync(copy, OtherStream(i), 1, ev, cancellationToken);
                    }

                    foreach (int later in LaterEvents)
                    {
                        for (int v = later * round / BuildRounds; v < later * (round + 1) / BuildRounds; v++)
                        {
                            await WriteRowAsync(copy, TargetStream(later), EventsBeforeCheckpoint + v + 1, ev, cancellationToken);
                        }
                    }
                }

                await copy.CompleteAsync(cancellationToken);
            }

            await using (NpgsqlBinaryImporter copy = await connection.BeginBinaryImportAsync(
                "COPY snapshots (stream_id, version, payload) FROM STDIN (FORMAT BINARY)", cancellationToken))
            {
                foreach (int later in LaterEvents)
                {
                    await WriteRowAsync(copy, TargetStream(later), EventsBeforeCheckpoint, checkpoint, cancellationToken);
                }

                await copy.CompleteAsync(cancellationToken);
            }
        }

        foreach (string table in new[] { "events", "snapshots" })
        {
            // VACUUM must run alone (not in a multi-statement batch).
            await using NpgsqlCommand vacuum = source.CreateCommand($"VACUUM ANALYZE {table}");
            await vacuum.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private static async Task WriteRowAsync(NpgsqlBinaryImporter copy, string stream, long version, byte[] payload, CancellationToken cancellationToken)
    {
        await copy.StartRowAsync(cancellationToken);
        await copy.WriteAsync(stream, NpgsqlDbType.Text, cancellationToken);
        await copy.WriteAsync(version, NpgsqlDbType.Bigint, cancellationToken);
        await copy.WriteAsync(payload, NpgsqlDbType.Bytea, cancellationToken);
    }

    private static Dictionary<int, ReplayFigure> FilePerGrain(RunContext context, int otherFiles)
    {
        string dir = context.NewDirectory("replay-files");
        try
        {
            Report.Progress($"  file-per-grain: one 1 KiB state file among {Fmt.Count(otherFiles)} others");
            string target = Path.Combine(dir, "grain-target.state");
            File.WriteAllBytes(target, Payload(CheckpointBytes, 2));
            byte[] small = Payload(EventBytes, 1);
            for (int i = 0; i < otherFiles; i++)
            {
                File.WriteAllBytes(Path.Combine(dir, $"grain-{i}.state"), small);
            }

            var histogram = new LatencyHistogram();
            int repetitions = context.Quick ? 1_000 : 5_000;
            for (int i = 0; i < repetitions; i++)
            {
                long t0 = Stopwatch.GetTimestamp();
                byte[] state = File.ReadAllBytes(target);
                histogram.Record(Stopwatch.GetTimestamp() - t0);
                if (state.Length != CheckpointBytes)
                {
                    return Pending($"wrong result ({state.Length} bytes)");
                }
            }

            var figure = new ReplayFigure(histogram.Percentile(50), histogram.Percentile(99), "ok");
            return LaterEvents.ToDictionary(e => e, _ => figure);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
