using System.Diagnostics;
using Actors.Benchmarks.Infrastructure;
using Actors.Benchmarks.Wal;
using Actors.Wal;

namespace Actors.Benchmarks.Scenarios;

/// <summary>
/// Scenario 4: how long opening a log takes, for 100 MiB and 1 GiB of records (1 KiB events over 10,000 streams),
/// after a clean dispose and after <c>AbandonAsync</c> (the engine's crash simulation: no clean-shutdown marker,
/// no final flush). Timed with the page cache warm, and cold (after sync + drop_caches) when this process may
/// write /proc/sys/vm/drop_caches. No peer runs this scenario: the figure is compared with the goal.
/// </summary>
internal sealed class RecoveryScenario : IScenario
{
    private const int Streams = 10_000;
    private const int EventBytes = 1024;
    private const string DropCaches = "/proc/sys/vm/drop_caches";

    public int Number => 4;

    public string Key => "recovery";

    public string Title => "Open / recovery time";

    public async Task RunAsync(RunContext context, CancellationToken cancellationToken)
    {
        long[] sizes = context.Quick ? [100L << 20] : [100L << 20, 1L << 30];
        bool canDrop = CanDropCaches();
        context.Report.Note($"\nLogs of 1 KiB events over {Fmt.Count(Streams)} streams, built under SyncPolicy.None. \"open\" is the wall time of " +
            "OpenAsync (the engine's own RecoveryStatistics.Duration in brackets); \"cold\" first drops the page cache " +
            $"({(canDrop ? "sync; echo 3 > " + DropCaches : "not possible here: figures are warm only")}). Crash: 1,000 more " +
            "events appended under Always, then AbandonAsync; only the first open after it recovers, so it is timed once, warm " +
            "(as after a process kill, when the page cache survives).\n");
        var table = new Table("log size", "after", "open (warm)", "open (cold)", "segments scanned / present", "records scanned", "streams");
        TimeSpan? gigabyteClean = null;
        foreach (long size in sizes)
        {
            if (!WalFactory.IsAvailable)
            {
                table.Add(Fmt.Bytes(size), "clean dispose", "pending", "pending", "pending", "pending", "pending");
                table.Add(Fmt.Bytes(size), "crash (AbandonAsync)", "pending", "pending", "pending", "pending", "pending");
                continue;
            }

            string dir = context.NewDirectory("recovery");
            try
            {
                Report.Progress($"  building a {Fmt.Bytes(size)} log");
                await BuildAsync(dir, size, cancellationToken);
                (TimeSpan warm, TimeSpan? cold, IEventLog log) = await OpenBothWaysAsync(dir, canDrop, cancellationToken);
                table.Add([Fmt.Bytes(size), "clean dispose", .. Cells(warm, cold, log)]);
                if (size == 1L << 30)
                {
                    gigabyteClean = warm;
                }

                byte[] payload = new byte[EventBytes];
                ReadOnlyMemory<byte>[] one = [payload];
                for (int i = 0; i < 1_000; i++)
                {
                    await log.AppendAsync($"s/{i}", ExpectedVersion.Any, one, cancellationToken);
                }

                await WalFactory.AbandonAsync(log);
                // Only the first open after the crash recovers from it, so it is timed once: warm, as after a process kill.
                (warm, _, log) = await OpenBothWaysAsync(dir, canDrop: false, cancellationToken);
                table.Add([Fmt.Bytes(size), "crash (AbandonAsync)", .. Cells(warm, null, log)]);
                await log.DisposeAsync();
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Report.Progress($"    failed: {ex.GetType().Name}: {ex.Message}");
                table.Add(Fmt.Bytes(size), "-", $"failed ({ex.GetType().Name})", "-", "-", "-", "-");
            }
            finally
            {
                Directory.Delete(dir, recursive: true);
            }
        }

        context.Report.Print(table);
        context.AddGoal(new GoalResult(
            "open after clean shutdown of a 1 GiB log < 200 ms (warm page cache)",
            gigabyteClean is { } g ? Fmt.Latency(g) : context.Quick ? "not measured in --quick" : WalFactory.IsAvailable ? "failed" : "pending",
            Goals.AtMost(gigabyteClean?.TotalMilliseconds, 200)));
    }

    private static string[] Cells(TimeSpan warm, TimeSpan? cold, IEventLog log)
    {
        RecoveryStatistics r = log.GetStatistics().Recovery;
        return
        [
            $"{Fmt.Latency(warm)} ({Fmt.Latency(r.Duration)})",
            cold is { } c ? Fmt.Latency(c) : "n/a",
            $"{r.SegmentsScanned} / {r.Segments}",
            Fmt.Count(r.RecordsScanned),
            Fmt.Count(r.Streams),
        ];
    }

    /// <summary>Opens cold (when <paramref name="canDrop"/>) and disposes cleanly, then opens warm; returns the warm log, still open.</summary>
    private static async Task<(TimeSpan Warm, TimeSpan? Cold, IEventLog Log)> OpenBothWaysAsync(string dir, bool canDrop, CancellationToken cancellationToken)
    {
        TimeSpan? cold = null;
        if (canDrop)
        {
            await DropPageCacheAsync(cancellationToken);
            long t0 = Stopwatch.GetTimestamp();
            IEventLog first = await WalFactory.OpenAsync(WalFactory.Options(dir, SyncPolicy.Always), cancellationToken);
            cold = Stopwatch.GetElapsedTime(t0);
            await first.DisposeAsync();
        }

        long t1 = Stopwatch.GetTimestamp();
        IEventLog log = await WalFactory.OpenAsync(WalFactory.Options(dir, SyncPolicy.Always), cancellationToken);
        return (Stopwatch.GetElapsedTime(t1), cold, log);
    }

    private static async Task BuildAsync(string dir, long size, CancellationToken cancellationToken)
    {
        await using IEventLog log = await WalFactory.OpenAsync(WalFactory.Options(dir, SyncPolicy.None), cancellationToken);
        byte[] payload = new byte[EventBytes];
        new Random(4).NextBytes(payload);
        ReadOnlyMemory<byte>[] one = [payload];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = 64, CancellationToken = cancellationToken };
        while (log.GetStatistics().TotalBytes < size)
        {
            await Parallel.ForEachAsync(
                Enumerable.Range(0, Streams),
                parallel,
                async (i, ct) => await log.AppendAsync($"s/{i}", ExpectedVersion.Any, one, ct));
        }

        await log.FlushAsync(cancellationToken);
    }

    private static bool CanDropCaches()
    {
        try
        {
            using var stream = new FileStream(DropCaches, FileMode.Open, FileAccess.Write);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static async Task DropPageCacheAsync(CancellationToken cancellationToken)
    {
        using (var sync = Process.Start(new ProcessStartInfo("sync") { UseShellExecute = false }))
        {
            if (sync is not null)
            {
                await sync.WaitForExitAsync(cancellationToken);
            }
        }

        await File.WriteAllTextAsync(DropCaches, "3\n", cancellationToken);
    }
}
