using Actors.Benchmarks.Infrastructure;
using Actors.Benchmarks.Wal;
using Actors.Wal;

namespace Actors.Benchmarks.Scenarios;

/// <summary>Scenario 3, the log's side.</summary>
internal sealed partial class ReplayScenario
{
    private const int BuildRounds = 100;

    private static async Task<Dictionary<int, ReplayFigure>> WalAsync(RunContext context, int others, CancellationToken cancellationToken)
    {
        if (!WalFactory.IsAvailable)
        {
            return Pending("pending");
        }

        string dir = context.NewDirectory("replay-wal");
        try
        {
            Report.Progress($"  WAL: building a log with the replay streams and {Fmt.Count(others)} other streams (SyncPolicy.None, then flush)");
            await using (IEventLog log = await WalFactory.OpenAsync(WalFactory.Options(dir, SyncPolicy.None), cancellationToken))
            {
                await BuildAsync(log, others, cancellationToken);
                await log.FlushAsync(cancellationToken);
            }

            await using IEventLog reopened = await WalFactory.OpenAsync(WalFactory.Options(dir, SyncPolicy.Always), cancellationToken);
            var figures = new Dictionary<int, ReplayFigure>();
            foreach (int later in LaterEvents)
            {
                string stream = TargetStream(later);
                figures[later] = await TimeReadsAsync(later, Repetitions(context, later), async () =>
                {
                    StreamReadResult result = await reopened.ReadStreamAsync(stream, ReadBound.Latest, cancellationToken);
                    return (result.Checkpoint?.Version ?? 0, result.Events.Count);
                });
                Report.Progress($"    {later} later events: {figures[later].Cell}");
            }

            return figures;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Report.Progress($"    failed: {ex.GetType().Name}: {ex.Message}");
            return Pending($"failed ({ex.GetType().Name})");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>
    /// Writes the replay streams' first events and checkpoints, then, in 100 rounds, a slice of the other streams
    /// (one event each, 64 appends in flight) followed by a slice of each replay stream's later events, so the
    /// replay streams' records are spread across the whole log.
    /// </summary>
    private static async Task BuildAsync(IEventLog log, int others, CancellationToken cancellationToken)
    {
        ReadOnlyMemory<byte>[] one = [Payload(EventBytes, 1)];
        byte[] checkpoint = Payload(CheckpointBytes, 2);
        foreach (int later in LaterEvents)
        {
            string stream = TargetStream(later);
            for (int v = 0; v < EventsBeforeCheckpoint; v++)
            {
                await log.AppendAsync(stream, v, one, cancellationToken);
            }

            await log.WriteCheckpointAsync(stream, EventsBeforeCheckpoint, checkpoint, cancellationToken);
        }

        var parallel = new ParallelOptions { MaxDegreeOfParallelism = 64, CancellationToken = cancellationToken };
        for (int round = 0; round < BuildRounds; round++)
        {
            int from = (int)((long)others * round / BuildRounds);
            int to = (int)((long)others * (round + 1) / BuildRounds);
            await Parallel.ForEachAsync(
                Enumerable.Range(from, to - from),
                parallel,
                async (i, ct) => await log.AppendAsync(OtherStream(i), ExpectedVersion.NoStream, one, ct));
            foreach (int later in LaterEvents)
            {
                string stream = TargetStream(later);
                int a = later * round / BuildRounds;
                int b = later * (round + 1) / BuildRounds;
                for (int v = a; v < b; v++)
                {
                    await log.AppendAsync(stream, EventsBeforeCheckpoint + v, one, cancellationToken);
                }
            }
        }
    }
}
