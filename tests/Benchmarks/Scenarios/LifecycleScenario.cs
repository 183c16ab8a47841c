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
            "version; their payloads carry a marker), on two copies of the same log: first with one background pass per erase " +
            "(EraseCompactionQuietPeriod = 0, the behaviour before session 10), then coalesced (the defaults: one erase pass once no " +
            "erase came for 1 s, at the latest 30 s after the oldest). For each: the erases, the background passes until they " +
            "finished (segments compacted and deleted, erase passes counted by LogStatistics.ErasePasses), then CompactAsync, after " +
            "which every file is scanned for the erased payloads (the run fails if any is found).\n");
        var table = new Table("operation", "time", "throughput", "notes");
        string dir = context.NewDirectory("lifecycle-log");
        string perErase = context.NewDirectory("lifecycle-log-pass-per-erase");
        try
        {
            Report.Progress($"  building a {Fmt.Bytes(size)} log");
            await BuildAsync(dir, size, cancellationToken);
            await using (var log = (WriteAheadLog)await WalFactory.OpenAsync(WalFactory.Options(dir, SyncPolicy.Always), cancellationToken))
            {
                await BackupAndRestoreAsync(context, table, dir, log, cancellationToken);
            }

            CopyLog(dir, perErase);
            await EraseAsync(table, perErase, coalesced: false, cancellationToken);
            await EraseAsync(table, dir, coalesced: true, cancellationToken);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
            Directory.Delete(perErase, recursive: true);
        }

        context.Report.Print(table);
    }

    private static async Task BackupAndRestoreAsync(RunContext context, Table table, string dir, WriteAheadLog log, CancellationToken cancellationToken)
    {
        var idle = Backup(dir, context.NewDirectory("lifecycle-backup-idle"));
        table.Add("backup, idle", Fmt.Latency(idle.Elapsed), Fmt.MBps(idle.Result.Bytes / idle.Elapsed.TotalSeconds), $"{idle.Result.Segments} segments, {idle.Result.Attempts} attempt(s)");
        Directory.Delete(idle.Result.Directory, recursive: true);

        using var stop = new CancellationTokenSource();
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

    /// <summary>
    /// Erases the marked streams of the (closed) log in <paramref name="dir"/>, waits for the background passes, compacts,
    /// and scans every file. <paramref name="coalesced"/> false: one space pass per erase (quiet period zero).
    /// </summary>
    private static async Task EraseAsync(Table table, string dir, bool coalesced, CancellationToken cancellationToken)
    {
        var options = WalFactory.Options(dir, SyncPolicy.Always);
        if (!coalesced)
        {
            options.EraseCompactionQuietPeriod = TimeSpan.Zero;
        }

        string label = coalesced ? "coalesced (defaults)" : "one pass per erase (quiet period 0)";
        Report.Progress($"  erasing {Fmt.Count(ErasedStreams)} streams, {label}");
        await using var log = (WriteAheadLog)await WalFactory.OpenAsync(options, cancellationToken);
        await log.WhenMaintenanceIdleAsync();
        var erase = new LatencyHistogram();
        var atErase = log.GetStatistics();
        long started = Stopwatch.GetTimestamp();
        for (int i = 0; i < ErasedStreams; i++)
        {
            string stream = $"s/{i * (Streams / ErasedStreams)}";
            long t = Stopwatch.GetTimestamp();
            await log.DeleteEventsToAsync(stream, log.GetStreamInfo(stream).Version, cancellationToken);
            erase.Record(Stopwatch.GetTimestamp() - t);
        }

        TimeSpan eraseTotal = Stopwatch.GetElapsedTime(started);
        var afterErase = log.GetStatistics();
        table.Add($"erase {Fmt.Count(ErasedStreams)} streams, {label}", Fmt.Latency(eraseTotal), Fmt.Rate(ErasedStreams / eraseTotal.TotalSeconds),
            $"per erase p50 {Fmt.Latency(erase.Percentile(50))}, p99 {Fmt.Latency(erase.Percentile(99))} (each a synced copy); while they ran the " +
            $"background passes compacted {afterErase.SegmentsCompacted - atErase.SegmentsCompacted} segments and deleted " +
            $"{afterErase.SegmentsDeleted - atErase.SegmentsDeleted} ({afterErase.ErasePasses - atErase.ErasePasses} erase passes)");

        // The background passes the erases left: the erase pass after the quiet period (coalesced), or the passes still
        // queued (one per erase). Timed from the last erase until maintenance is idle.
        long w0 = Stopwatch.GetTimestamp();
        while (log.ErasePassPending)
        {
            await Task.Delay(10, cancellationToken);
        }

        await log.WhenMaintenanceIdleAsync();
        TimeSpan settleTime = Stopwatch.GetElapsedTime(w0);
        var settled = log.GetStatistics();
        table.Add($"background erase passes after the erases, {label}", Fmt.Latency(settleTime), "-",
            $"{settled.ErasePasses - afterErase.ErasePasses} erase passes, {settled.SegmentsCompacted - afterErase.SegmentsCompacted} segments compacted, " +
            $"{settled.SegmentsDeleted - afterErase.SegmentsDeleted} deleted (time from the last erase until maintenance was idle" +
            $"{(coalesced ? ", the 1 s quiet period included" : "")}); in all, erases and passes: {settled.ErasePasses - atErase.ErasePasses} erase passes, " +
            $"{settled.SegmentsCompacted - atErase.SegmentsCompacted} segments of {Fmt.Bytes(WriteAheadLogOptions.DefaultSegmentSizeBytes)} compacted, " +
            $"{settled.SegmentsDeleted - atErase.SegmentsDeleted} deleted");

        long c0 = Stopwatch.GetTimestamp();
        CompactionResult compaction = await log.CompactAsync(cancellationToken);
        TimeSpan compactTime = Stopwatch.GetElapsedTime(c0);
        var end = log.GetStatistics();
        table.Add($"CompactAsync after them, {label}", Fmt.Latency(compactTime), Fmt.MBps(compaction.BytesFreed / compactTime.TotalSeconds),
            $"{compaction.SegmentsCompacted} segments compacted ({Fmt.Count(compaction.StreamsRelocated)} streams copied forward), " +
            $"{compaction.SegmentsDeleted} deleted, {Fmt.Bytes(compaction.BytesFreed)} freed; log {Fmt.Bytes(atErase.TotalBytes)} before the erases, " +
            $"{Fmt.Bytes(end.TotalBytes)} after");
        var holding = FilesHolding(dir, ErasedPayload);
        if (holding.Count > 0)
        {
            throw new InvalidOperationException($"Erased payloads are still on disk after CompactAsync ({label}, {compaction}): {string.Join(", ", holding)}");
        }

        table.Add($"erased payload bytes left in the log's files, {label}", "-", "-", "none (every file scanned for the erased streams' payload after CompactAsync)");
    }

    /// <summary>Copies the closed log in <paramref name="source"/> (every file but the lock file) into the empty <paramref name="target"/>.</summary>
    private static void CopyLog(string source, string target)
    {
        foreach (string file in Directory.GetFiles(source, "*", SearchOption.AllDirectories))
        {
            if (Path.GetFileName(file) == WriteAheadLog.LockFileName)
            {
                continue;
            }

            string copy = Path.Combine(target, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            File.Copy(file, copy);
        }
    }

    /// <summary>The payload of the streams that are erased (s/0, s/10, ...): the scan after the compaction looks for it.</summary>
    private static byte[] ErasedPayload { get; } = [.. Enumerable.Range(0, EventBytes).Select(i => (byte)"ERASED-PAYLOAD/"[i % 15])];

    /// <summary>
    /// The files of <paramref name="dir"/> holding <paramref name="payload"/> (with the hits per file). The log is open:
    /// a file deleted or renamed between the listing and its read holds nothing any more.
    /// </summary>
    private static List<string> FilesHolding(string dir, byte[] payload)
    {
        var holding = new List<string>();
        foreach (string file in Directory.GetFiles(dir))
        {
            if (Path.GetFileName(file) == WriteAheadLog.LockFileName)
            {
                continue; // empty, and held exclusively while the log is open
            }

            byte[] bytes;
            try
            {
                using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                bytes = new byte[stream.Length];
                stream.ReadAtLeast(bytes, bytes.Length, throwOnEndOfStream: false);
            }
            catch (FileNotFoundException)
            {
                continue; // deleted or renamed since the listing
            }

            int hits = 0;
            var rest = bytes.AsSpan();
            for (int at; (at = rest.IndexOf(payload)) >= 0; rest = rest[(at + payload.Length)..])
            {
                hits++;
            }

            if (hits > 0)
            {
                holding.Add($"{Path.GetFileName(file)} ({hits} payloads)");
            }
        }

        return holding;
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
        ReadOnlyMemory<byte>[] erased = [ErasedPayload];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = 64, CancellationToken = cancellationToken };
        while (log.GetStatistics().TotalBytes < size)
        {
            await Parallel.ForEachAsync(Enumerable.Range(0, Streams), parallel, async (i, ct) =>
                await log.AppendAsync($"s/{i}", ExpectedVersion.Any, i % (Streams / ErasedStreams) == 0 ? erased : one, ct));
        }

        await log.FlushAsync(cancellationToken);
    }
}
