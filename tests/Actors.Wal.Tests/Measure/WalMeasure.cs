#:project ../../../src/Actors.Wal/Actors.Wal.csproj
#:property AssemblyName=Benchmarks
#:property OutputType=Exe
#:property PublishAot=false

// A test-free measurement of the engine (not part of the test suite):
//   dotnet run tests/Actors.Wal.Tests/Measure/WalMeasure.cs -- [index|append|compaction|all]
//   dotnet run -c Release tests/Actors.Wal.Tests/Measure/WalMeasure.cs -- alloc [APPENDS] [DIR]   (not part of all)
// The assembly is named "Benchmarks" so it can see the engine's internals (InternalsVisibleTo).
using System.Diagnostics;
using System.Text;
using Actors.Wal;
using Actors.Wal.Index;

string mode = args.Length > 0 ? args[0] : "all";
if (mode == "open")
{
    await MeasureOpenAsync(args[1], int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture));
    return;
}

if (mode == "alloc")
{
    int appends = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 200_000;
    string parent = args.Length > 2 ? args[2] : Path.GetTempPath();
    foreach (var (writers, size) in new[] { (1, 100), (16, 100), (256, 100), (256, 1024) })
    {
        await MeasureAllocationAsync(writers, size, appends, parent);
    }

    return;
}

if (mode is "index" or "all")
{
    MeasureIndex(1_000_000);
    await MeasureLogIndexAsync(1_000_000);
}

if (mode is "compaction" or "all")
{
    await MeasureCompactionAsync(streams: 20_000);
}

if (mode is "append" or "all")
{
    foreach (int size in new[] { 100, 1024 })
    {
        await MeasureAppendAsync(writers: 64, payloadBytes: size, seconds: 5);
    }
}

static void MeasureIndex(int count)
{
    long before = GC.GetTotalMemory(forceFullCollection: true);
    var index = new StreamIndex();
    var entries = new List<StreamEntry>(count);
    for (int i = 0; i < count; i++)
    {
        byte[] id = Encoding.UTF8.GetBytes($"account/{i}");
        var entry = StreamEntry.CreateNew(StreamHash.Compute(id));
        entry.LatestPosition = i;
        entry.Version = 1;
        entries.Add(entry);
    }

    index.LoadIdle(entries);
    entries = null;

    long after = GC.GetTotalMemory(forceFullCollection: true);
    Console.WriteLine($"index only: {count:N0} idle streams, {(after - before) / (double)count:F1} bytes/stream (arrays {index.ArrayBytes / (double)count:F1} bytes/stream)");
    GC.KeepAlive(index);
}

static async Task MeasureLogIndexAsync(int count)
{
    string dir = Path.Combine(Path.GetTempPath(), "wal-measure-index-" + Guid.NewGuid().ToString("N"));
    try
    {
        var sw = Stopwatch.StartNew();
        await WriteStreamsAsync(dir, count);
        Console.WriteLine($"wrote {count:N0} streams in {sw.Elapsed.TotalSeconds:F1} s");

        // Open the log in a fresh process so nothing of the writing phase is still on the heap.
        var child = Process.Start(new ProcessStartInfo(Environment.ProcessPath!, ["open", dir, count.ToString(System.Globalization.CultureInfo.InvariantCulture)]) { UseShellExecute = false })!;
        await child.WaitForExitAsync();
    }
    finally
    {
        Directory.Delete(dir, recursive: true);
    }
}

static async Task WriteStreamsAsync(string dir, int count)
{
    var options = new WriteAheadLogOptions { Directory = dir, SyncPolicy = SyncPolicy.None, CompactionLiveRatio = 0 };
    await using var log = await WriteAheadLog.OpenAsync(options);
    var payload = new ReadOnlyMemory<byte>[] { new byte[16] };
    var pending = new List<Task>(4096);
    for (int i = 0; i < count; i++)
    {
        pending.Add(log.AppendAsync($"account/{i}", 0, payload).AsTask());
        if (pending.Count == 4096)
        {
            await Task.WhenAll(pending);
            pending.Clear();
        }
    }

    await Task.WhenAll(pending);
}

static async Task MeasureOpenAsync(string dir, int count)
{
    var options = new WriteAheadLogOptions { Directory = dir, SyncPolicy = SyncPolicy.None, CompactionLiveRatio = 0 };
    long before = GC.GetTotalMemory(forceFullCollection: true);
    var log = await WriteAheadLog.OpenAsync(options);
    long after = GC.GetTotalMemory(forceFullCollection: true);
    var stats = log.GetStatistics();
    Console.WriteLine($"reopened log: {stats.Recovery.Segments} segments ({stats.Recovery.SegmentsScanned} scanned) in {stats.Recovery.Duration.TotalMilliseconds:F0} ms; "
        + $"{(after - before) / (double)count:F1} bytes/stream for the whole open log (index + per-segment space summaries)");
    var read = await log.ReadStreamAsync("account/123456");
    Console.WriteLine($"read of an idle stream after reopen: version {read.Version}, {read.Events.Count} event(s)");
    await log.DisposeAsync();
}

static async Task MeasureAppendAsync(int writers, int payloadBytes, int seconds)
{
    string dir = Path.Combine(Path.GetTempPath(), "wal-measure-append-" + Guid.NewGuid().ToString("N"));
    try
    {
        await using var log = await WriteAheadLog.OpenAsync(new WriteAheadLogOptions { Directory = dir, SyncPolicy = SyncPolicy.Always });
        var payload = new ReadOnlyMemory<byte>[] { new byte[payloadBytes] };
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        long appends = 0;
        var sw = Stopwatch.StartNew();
        var tasks = Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            long version = 0;
            while (!stop.IsCancellationRequested)
            {
                await log.AppendAsync($"writer-{w}", version, payload);
                version++;
                Interlocked.Increment(ref appends);
            }
        })).ToArray();
        await Task.WhenAll(tasks);
        sw.Stop();
        var stats = log.GetStatistics();
        Console.WriteLine($"Always, {writers} writers, {payloadBytes} B: {appends / sw.Elapsed.TotalSeconds:N0} appends/s, "
            + $"{stats.Fsyncs:N0} fsyncs ({(double)appends / Math.Max(1, stats.Commits):F1} appends per group commit)");
    }
    finally
    {
        Directory.Delete(dir, recursive: true);
    }
}

// Bytes the process allocates per durable append (robust under load: a count, not a time): WRITERS closed-loop writers,
// each on a stream of its own, append single events of SIZE bytes under SyncPolicy.Always; a warm-up of a quarter of the
// appends, then the process's precise allocation counter over the rest (the harness allocates nothing per append).
static async Task MeasureAllocationAsync(int writers, int size, int appends, string parent)
{
    string dir = Path.Combine(parent, "wal-measure-alloc-" + Guid.NewGuid().ToString("N"));
    try
    {
        await using var log = await WriteAheadLog.OpenAsync(new WriteAheadLogOptions { Directory = dir, SyncPolicy = SyncPolicy.Always });
        var batches = Enumerable.Range(0, writers).Select(_ => new ReadOnlyMemory<byte>[] { new byte[size] }).ToArray();
        string[] ids = Enumerable.Range(0, writers).Select(w => $"alloc/{w}").ToArray();
        long[] versions = new long[writers];
        int perWriter = Math.Max(1, appends / writers);
        await RoundAsync(Math.Max(1, perWriter / 4));
        long before = GC.GetTotalAllocatedBytes(precise: true);
        await RoundAsync(perWriter);
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        Console.WriteLine($"alloc: {writers} writers x {size} B, {perWriter * writers:N0} appends: {allocated / (double)(perWriter * writers):F1} B per append "
            + $"({allocated:N0} B; load {File.ReadAllText("/proc/loadavg").Split(' ')[0]})");

        Task RoundAsync(int count) => Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(() => WriteAsync(w, count))));

        async Task WriteAsync(int writer, int count)
        {
            for (int i = 0; i < count; i++)
            {
                await log.AppendAsync(ids[writer], versions[writer], batches[writer]);
                versions[writer]++;
            }
        }
    }
    finally
    {
        if (Directory.Exists(dir))
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}

// Bytes the process allocates per stream copied forward by one compaction pass (robust under load: a count, not a time).
// The log is written with compaction off (each stream: 3 events, a checkpoint covering them, 1 event after it; then
// every other stream checkpoints again, so the segments holding the rest are about half live), then reopened with
// compaction on and compacted once (one pass copies about MaxBatchBytes of live data).
static async Task MeasureCompactionAsync(int streams)
{
    string dir = Path.Combine(Path.GetTempPath(), "wal-measure-compaction-" + Guid.NewGuid().ToString("N"));
    try
    {
        var options = new WriteAheadLogOptions { Directory = dir, SyncPolicy = SyncPolicy.None, CompactionLiveRatio = 0, SegmentSizeBytes = 1024 * 1024, MaxRecordSizeBytes = 256 * 1024 };
        await using (var log = await WriteAheadLog.OpenAsync(options))
        {
            var events = new ReadOnlyMemory<byte>[] { new byte[100], new byte[100], new byte[100] };
            await ForEachStreamAsync(streams, i => log.AppendAsync($"s/{i}", 0, events).AsTask());
            await ForEachStreamAsync(streams, i => log.WriteCheckpointAsync($"s/{i}", 3, new byte[200]).AsTask());
            await ForEachStreamAsync(streams, i => log.AppendAsync($"s/{i}", 3, [new byte[100]]).AsTask());
            await ForEachStreamAsync(streams / 2, i => log.WriteCheckpointAsync($"s/{2 * i}", 4, new byte[200]).AsTask());
        }

        options.CompactionLiveRatio = 0.9;
        await using var reopened = await WriteAheadLog.OpenAsync(options);
        await reopened.WhenMaintenanceIdleAsync();
        long before = GC.GetTotalAllocatedBytes(precise: true);
        var result = await reopened.CompactAsync();
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        Console.WriteLine($"compaction: {result.SegmentsCompacted} segments compacted, {result.StreamsRelocated:N0} streams copied forward, "
            + $"{allocated / (double)Math.Max(1, result.StreamsRelocated):N0} B allocated per stream copied (load {File.ReadAllText("/proc/loadavg").Split(' ')[0]})");
    }
    finally
    {
        if (Directory.Exists(dir))
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}

static async Task ForEachStreamAsync(int count, Func<int, Task> action)
{
    var pending = new List<Task>(4096);
    for (int i = 0; i < count; i++)
    {
        pending.Add(action(i));
        if (pending.Count == 4096)
        {
            await Task.WhenAll(pending);
            pending.Clear();
        }
    }

    await Task.WhenAll(pending);
}
