using System.Diagnostics;
using Actors.Replication.Wal.Materialized;
using Actors.Wal;

namespace Actors.Cluster.Benchmarks;

/// <summary>
/// What one checkpoint capture of a replica's materialized log costs (<see cref="WriteAheadLogDirectoryState.CaptureAsync"/>,
/// the silos' state): the applier's loop applies nothing while it runs, so its wall time is how long a partition's
/// acknowledgements stall per checkpoint. Builds one write-ahead log as the silos open a materialized log (never synced,
/// segments not preallocated), appends <c>--events</c> events of <c>--payload</c> bytes over <c>--streams</c> streams, then
/// captures it <c>--rounds</c> times (nothing written meanwhile, as on the applier's loop) and prints each capture's wall
/// time, this process's CPU time and the state's size, and the medians; then restores the last state once into a
/// directory of its own and prints that time.
/// </summary>
internal static class CheckpointCaptureBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var options = new BenchOptions(args);
        int events = options.GetInt("events", 100_000);
        int streams = options.GetInt("streams", 1_000);
        int payloadBytes = options.GetInt("payload", 100);
        int rounds = options.GetInt("rounds", 7);
        long segmentBytes = options.GetInt("segment-mb", (int)(WriteAheadLogOptions.DefaultSegmentSizeBytes / (1024 * 1024))) * 1024L * 1024;
        string root = options.Get("dir", Path.Combine(Path.GetTempPath(), "actors-capture-bench-" + Guid.NewGuid().ToString("N")));
        Console.WriteLine($"capture: {events:N0} events of {payloadBytes} bytes over {streams:N0} streams, segments of {segmentBytes / (1024 * 1024)} MiB, {rounds} captures, dir {root}");
        Console.WriteLine($"load average before: {BenchOptions.LoadAverage()}");
        try
        {
            string directory = Path.Combine(root, "materialized");
            WriteAheadLogOptions logOptions = MaterializedOptions(directory, segmentBytes);
            var state = StateOf(logOptions);
            await using var log = await WriteAheadLog.OpenAsync(logOptions);
            await FillAsync(log, events, streams, payloadBytes);
            Console.WriteLine($"filled: {log.WrittenLsn:N0} records written; load average {BenchOptions.LoadAverage()}");
            var wall = new List<double>();
            var cpu = new List<double>();
            byte[] captured = [];
            for (int round = 0; round < rounds; round++)
            {
                TimeSpan cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
                var watch = Stopwatch.StartNew();
                captured = await state.CaptureAsync(log, CancellationToken.None);
                watch.Stop();
                double cpuMs = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalMilliseconds;
                wall.Add(watch.Elapsed.TotalMilliseconds);
                cpu.Add(cpuMs);
                Console.WriteLine($"  capture {round + 1}: {watch.Elapsed.TotalMilliseconds:F1} ms wall, {cpuMs:F0} ms CPU, state {captured.Length:N0} bytes");
            }

            Console.WriteLine($"capture medians: {Median(wall):F1} ms wall (max {wall.Max():F1}), {Median(cpu):F0} ms CPU, state {captured.Length:N0} bytes");
            string restoreDirectory = Path.Combine(root, "restored");
            WriteAheadLogOptions restoreOptions = MaterializedOptions(restoreDirectory, segmentBytes);
            var restoreState = StateOf(restoreOptions);
            IEventLog empty = await WriteAheadLog.OpenAsync(restoreOptions);
            var restoreWatch = Stopwatch.StartNew();
            IEventLog restored = await restoreState.RestoreAsync(empty, captured, CancellationToken.None);
            restoreWatch.Stop();
            Console.WriteLine($"restore: {restoreWatch.Elapsed.TotalMilliseconds:F1} ms wall, {restored.WrittenLsn:N0} records (the source wrote {log.WrittenLsn:N0})");
            await restored.DisposeAsync();
            Console.WriteLine($"load average after: {BenchOptions.LoadAverage()}");
            return 0;
        }
        finally
        {
            try
            {
                Directory.Delete(root, recursive: true);
            }
            catch (IOException)
            {
                // Left for the operating system's temp cleanup.
            }
        }
    }

    /// <summary>As <c>PartitionReplicas</c> opens a materialized log: never synced, segments not preallocated.</summary>
    private static WriteAheadLogOptions MaterializedOptions(string directory, long segmentBytes) => new()
    {
        Directory = directory,
        SegmentSizeBytes = segmentBytes,
        SyncPolicy = SyncPolicy.None,
        PreallocateSegments = false,
    };

    /// <summary>The checkpoint state of the log opened with <paramref name="options"/>, as the silos make it.</summary>
    private static WriteAheadLogDirectoryState StateOf(WriteAheadLogOptions options) => new(
        options.Directory,
        open: async ct => await WriteAheadLog.OpenAsync(options, cancellationToken: ct),
        close: log => log.DisposeAsync());

    /// <summary>Appends <paramref name="events"/> events round-robin over the streams, 64 appends in flight.</summary>
    private static async Task FillAsync(WriteAheadLog log, int events, int streams, int payloadBytes)
    {
        var payload = new byte[payloadBytes];
        Random.Shared.NextBytes(payload);
        var inFlight = new List<Task>(64);
        for (int i = 0; i < events; i++)
        {
            inFlight.Add(log.AppendAsync($"account-{i % streams}", ExpectedVersion.Any, [payload]).AsTask());
            if (inFlight.Count == 64)
            {
                await Task.WhenAll(inFlight);
                inFlight.Clear();
            }
        }

        await Task.WhenAll(inFlight);
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }
}
