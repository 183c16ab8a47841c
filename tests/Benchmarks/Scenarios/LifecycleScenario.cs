using System.Diagnostics;
using Actors.Benchmarks.Infrastructure;
using Actors.Benchmarks.Wal;
using Actors.Wal;

namespace Actors.Benchmarks.Scenarios;

/// <summary>
/// Scenario 10 (issue #17, data lifecycle): online backup and restore of a log of 1 KiB events over 10,000 streams, idle
/// and while durable appends run; and erasing streams' events (<c>DeleteEventsToAsync</c>) plus the compaction that
/// removes their bytes.
/// </summary>
internal sealed class LifecycleScenario : IScenario
{
    private const int Streams = 10_000;
    private const int EventBytes = 1024;
    private const int LoadWriters = 16;
    private const int ErasedStreams = 1_000;

    public int Number => 10;

    public string Key => "lifecycle";

    public string Title => "Data lifecycle: backup, restore, erase";

    public async Task RunAsync(RunContext context, CancellationToken cancellationToken)
    {
        long size = context.Quick ? 100L << 20 : 1L << 30;
        context.Report.Note($"\nA {Fmt.Bytes(size)} log of 1 KiB events over {Fmt.Count(Streams)} streams (built under SyncPolicy.None). " +
            $"Backup = LogBackup.Backup (actors-wal backup) into a fresh directory on the same disk; \"under load\" runs {LoadWriters} " +
            "writers appending 1 KiB events under SyncPolicy.Always during the copy. Restore = LogBackup.RestoreAsync (copy, fsync, " +
            $"open with AbsoluteConsistency). Erase: DeleteEventsToAsync on {Fmt.Count(ErasedStreams)} streams (each erased to its " +
            "version), then CompactAsync, which copies the segments' other records forward and deletes the files.\n");
        var table = new Table("operation", "time", "throughput", "notes");
        string dir = context.NewDirectory("lifecycle-log");
        try
        {
            Report.Progress($"  building a {Fmt.Bytes(size)} log");
            await BuildAsync(dir, size, cancellationToken);
            await using var log = (WriteAheadLog)await WalFactory.OpenAsync(WalFactory.Options(dir, SyncPolicy.Always), cancellationToken);

            var idle = Backup(dir, context.NewDirectory("lifecycle-backup-idle"));
            table.Add("backup, idle", Fmt.Latency(idle.Elapsed), Fmt.MBps(idle.Result.Bytes / idle.Elapsed.TotalSeconds), $"{idle.Result.Segments} segments, {idle.Result.Attempts} attempt(s)");
            Directory.Delete(idle.Result.Directory, recursive: true);

            using (var stop = new CancellationTokenSource())
            {
                long appended = 0;
                Task[] writers = [.. Enumerable.Range(0, LoadWriters).Select(w => Task.Run(async () =>
                {
                    ReadOnlyMemory<byte>[] one = [new byte[EventBytes]];
                    for (int i = 0; !stop.IsCancellationRequested; i++)
                    {
                        await log.AppendAsync($"load/{w}/{i % 100}", ExpectedVersion.Any, one, CancellationToken.None);
                        Interlocked.Increment(ref appended);
                    }
                }, CancellationToken.None))];
                var loaded = Backup(dir, context.NewDirectory("lifecycle-backup-load"));
                long during = Interlocked.Read(ref appended);
                await stop.CancelAsync();
                await Task.WhenAll(writers);
                table.Add("backup, under durable appends", Fmt.Latency(loaded.Elapsed), Fmt.MBps(loaded.Result.Bytes / loaded.Elapsed.TotalSeconds),
                    $"{Fmt.Count(during)} appends acknowledged during the copy ({Fmt.Rate(during / loaded.Elapsed.TotalSeconds)}); {loaded.Result.Attempts} attempt(s)");

                string restored = Path.Combine(context.DataRoot, "lifecycle-restored");
                long t0 = Stopwatch.GetTimestamp();
                LogRestoreResult restore = await LogBackup.RestoreAsync(loaded.Result.Directory, restored, cancellationToken: cancellationToken);
                TimeSpan restoreTime = Stopwatch.GetElapsedTime(t0);
                table.Add("restore (copy + fsync + verifying open)", Fmt.Latency(restoreTime), Fmt.MBps(loaded.Result.Bytes / restoreTime.TotalSeconds), $"{Fmt.Count(restore.Streams)} streams");
                Directory.Delete(restored, recursive: true);
                Directory.Delete(loaded.Result.Directory, recursive: true);
            }

            var erase = new LatencyHistogram();
            long started = Stopwatch.GetTimestamp();
            for (int i = 0; i < ErasedStreams; i++)
            {
                string stream = $"s/{i * (Streams / ErasedStreams)}";
                long t = Stopwatch.GetTimestamp();
                await log.DeleteEventsToAsync(stream, log.GetStreamInfo(stream).Version, cancellationToken);
                erase.Record(Stopwatch.GetTimestamp() - t);
            }

            TimeSpan eraseTotal = Stopwatch.GetElapsedTime(started);
            table.Add($"erase {Fmt.Count(ErasedStreams)} streams", Fmt.Latency(eraseTotal), Fmt.Rate(ErasedStreams / eraseTotal.TotalSeconds),
                $"per erase p50 {Fmt.Latency(erase.Percentile(50))}, p99 {Fmt.Latency(erase.Percentile(99))} (each a synced copy)");
            long before = log.GetStatistics().SegmentsDeleted;
            long c0 = Stopwatch.GetTimestamp();
            CompactionResult compaction = await log.CompactAsync(cancellationToken);
            TimeSpan compactTime = Stopwatch.GetElapsedTime(c0);
            table.Add("compaction after the erases", Fmt.Latency(compactTime), Fmt.MBps(compaction.BytesFreed / compactTime.TotalSeconds),
                $"{compaction.SegmentsCompacted} segments compacted, {log.GetStatistics().SegmentsDeleted - before} deleted, {Fmt.Bytes(compaction.BytesFreed)} freed");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }

        context.Report.Print(table);
    }

    /// <summary>Times a backup into <paramref name="target"/> (an empty directory), which stays for the caller.</summary>
    private static (LogBackupResult Result, TimeSpan Elapsed) Backup(string dir, string target)
    {
        long t0 = Stopwatch.GetTimestamp();
        var result = LogBackup.Backup(dir, target);
        return (result, Stopwatch.GetElapsedTime(t0));
    }

    private static async Task BuildAsync(string dir, long size, CancellationToken cancellationToken)
    {
        await using IEventLog log = await WalFactory.OpenAsync(WalFactory.Options(dir, SyncPolicy.None), cancellationToken);
        ReadOnlyMemory<byte>[] one = [new byte[EventBytes]];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = 64, CancellationToken = cancellationToken };
        while (log.GetStatistics().TotalBytes < size)
        {
            await Parallel.ForEachAsync(Enumerable.Range(0, Streams), parallel, async (i, ct) => await log.AppendAsync($"s/{i}", ExpectedVersion.Any, one, ct));
        }

        await log.FlushAsync(cancellationToken);
    }
}
