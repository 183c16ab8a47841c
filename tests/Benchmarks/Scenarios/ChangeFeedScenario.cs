using System.Buffers.Binary;
using System.Diagnostics;
using Actors.Benchmarks.Infrastructure;
using Actors.Benchmarks.Wal;
using Actors.Wal;

namespace Actors.Benchmarks.Scenarios;

/// <summary>
/// Scenario 9: the log-wide change feed. Writers append durable 100 B events (SyncPolicy.Always) while one reader tails
/// the feed: the time from the append call to the reader receiving the change (end-to-end), beside the append's own
/// acknowledgement time (the reader can only see a change once it is durable, so the ack time is its floor). Then a
/// catch-up reader reads the whole log from the beginning: changes/s, MB/s and bytes allocated per change.
/// </summary>
internal sealed class ChangeFeedScenario : IScenario
{
    private const int PayloadBytes = 100;

    public int Number => 9;

    public string Key => "changefeed";

    public string Title => "Change feed: tail latency and catch-up read";

    public async Task RunAsync(RunContext context, CancellationToken cancellationToken)
    {
        var table = new Table("writers", "appends/s", "ack p50", "ack p99", "feed p50", "feed p99", "catch-up changes/s", "catch-up MB/s", "alloc/change");
        foreach (int writers in context.Quick ? new[] { 1, 64 } : new[] { 1, 16, 64, 256 })
        {
            string directory = context.NewDirectory($"changefeed-{writers}");
            await using var log = (WriteAheadLog)await WalFactory.OpenAsync(WalFactory.Options(directory, SyncPolicy.Always, context.FileState), cancellationToken);
            var (appendsPerSecond, ack, feed) = await TailAsync(log, writers, context.Window, cancellationToken);
            var (changesPerSecond, bytesPerSecond, allocated) = await CatchUpAsync(log, cancellationToken);
            table.Add(
                writers.ToString(System.Globalization.CultureInfo.InvariantCulture),
                Fmt.Rate(appendsPerSecond),
                Fmt.Latency(ack.Percentile(50)),
                Fmt.Latency(ack.Percentile(99)),
                Fmt.Latency(feed.Percentile(50)),
                Fmt.Latency(feed.Percentile(99)),
                Fmt.Rate(changesPerSecond),
                Fmt.MBps(bytesPerSecond),
                Fmt.Bytes(allocated));
        }

        context.Report.Note($"\n{PayloadBytes} B events, SyncPolicy.Always, {context.Window.TotalSeconds:0.#} s per row; feed = append call to the " +
            "tailing reader's receipt (includes the fsync: the feed hands out durable changes only); catch-up = one reader from " +
            "the beginning over everything the row wrote (page cache warm).\n");
        context.Report.Print(table);
    }

    private static async Task<(double AppendsPerSecond, LatencyHistogram Ack, LatencyHistogram Feed)> TailAsync(WriteAheadLog log, int writers, TimeSpan window, CancellationToken cancellationToken)
    {
        var feed = new LatencyHistogram();
        long appended = 0;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var reader = Task.Run(async () =>
        {
            try
            {
                await foreach (var change in log.ReadChangesAsync(ChangeFeedPosition.Beginning, follow: true, stop.Token))
                {
                    feed.Record(Stopwatch.GetTimestamp() - BinaryPrimitives.ReadInt64LittleEndian(change.Payload.Span));
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                // the window ended
            }
        }, CancellationToken.None);

        var deadline = Stopwatch.GetTimestamp() + (long)(window.TotalSeconds * Stopwatch.Frequency);
        var acks = new LatencyHistogram[writers];
        var started = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            var histogram = acks[w] = new LatencyHistogram();
            byte[] payload = new byte[PayloadBytes];
            string stream = $"feed/{w}";
            long version = 0;
            while (Stopwatch.GetTimestamp() < deadline && !cancellationToken.IsCancellationRequested)
            {
                long start = Stopwatch.GetTimestamp();
                BinaryPrimitives.WriteInt64LittleEndian(payload, start);
                await log.AppendAsync(stream, version, [payload], cancellationToken);
                histogram.Record(Stopwatch.GetTimestamp() - start);
                version++;
                Interlocked.Increment(ref appended);
            }
        }, CancellationToken.None)));
        double seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;

        // The reader has every acknowledged change once it has as many as were appended.
        while (feed.Count < Interlocked.Read(ref appended) && !cancellationToken.IsCancellationRequested)
        {
            await Task.Delay(10, cancellationToken);
        }

        await stop.CancelAsync();
        await reader;
        var ack = new LatencyHistogram();
        foreach (var histogram in acks)
        {
            ack.Add(histogram);
        }

        return (appended / seconds, ack, feed);
    }

    private static async Task<(double ChangesPerSecond, double BytesPerSecond, double AllocatedPerChange)> CatchUpAsync(WriteAheadLog log, CancellationToken cancellationToken)
    {
        long changes = 0;
        long bytes = 0;
        long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        long start = Stopwatch.GetTimestamp();
        await foreach (var change in log.ReadChangesAsync(ChangeFeedPosition.Beginning, follow: false, cancellationToken))
        {
            changes++;
            bytes += change.Payload.Length;
        }

        double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        return (changes / seconds, bytes / seconds, changes == 0 ? 0 : (double)allocated / changes);
    }
}
