#:project ../../../src/Actors.Wal/Actors.Wal.csproj
#:property AssemblyName=Benchmarks
#:property OutputType=Exe
#:property PublishAot=false
#:property TreatWarningsAsErrors=false

// The commit path's deterministic counters under N writers with staggered checkpoints (not part of the test suite):
//   dotnet run -c Release tests/Actors.Wal.Tests/Measure/CommitProbe.cs -- DIR SECONDS CHECKPOINT_EVERY [WRITERS] [BYTES] [written|fallocated] [COMPACTION_RATIO]
// prints appends, records per fsync, framed bytes per record, bytes allocated per append, GC pause and collections,
// segments deleted and compacted, and the log's space passes as they happen. Latencies under load are noise; the
// counters are not. DIR (on the disk under test, not tmpfs) is deleted first and at the end.
using System.Diagnostics;
using Actors.Wal;

string dir = args[0];
double seconds = double.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture);
int checkpointEvery = int.Parse(args[2]);
int writers = args.Length > 3 ? int.Parse(args[3]) : 256;
int payloadBytes = args.Length > 4 ? int.Parse(args[4]) : 100;
bool zeroFill = args.Length <= 5 || args[5] != "fallocated";
double ratio = args.Length > 6 ? double.Parse(args[6], System.Globalization.CultureInfo.InvariantCulture) : 0.5;
if (Directory.Exists(dir)) Directory.Delete(dir, true);
var options = new WriteAheadLogOptions { Directory = dir, SyncPolicy = SyncPolicy.Always, PreallocateSegments = true, ZeroFillSegments = zeroFill, CompactionLiveRatio = ratio };
await using var log = await WriteAheadLog.OpenAsync(options, new PrintLoggerFactory());
var payload = new byte[payloadBytes];
var state = new byte[256];
long stop = Stopwatch.GetTimestamp() + (long)(seconds * Stopwatch.Frequency);
long total = 0;
var lat = new List<double>[writers];
var hist = new long[200_000];
long allocBefore = GC.GetTotalAllocatedBytes(true);
var pauseBefore = GC.GetTotalPauseDuration(); int g0 = GC.CollectionCount(0), g1 = GC.CollectionCount(1), g2 = GC.CollectionCount(2);
var before = log.GetStatistics();
var sw = Stopwatch.StartNew();
var tasks = new Task[writers];
for (int w = 0; w < writers; w++)
{
    int writer = w;
    
    tasks[w] = Task.Run(async () =>
    {
        string stream = $"s/{writer}";
        var batch = new ReadOnlyMemory<byte>[] { payload };
        long version = 0;
        ValueTask<CheckpointResult> inFlight = default;
        // stagger like the provider: phase by stream
        int phase = checkpointEvery > 0 ? (int)((uint)stream.GetHashCode() % (uint)checkpointEvery) : 0;
        while (Stopwatch.GetTimestamp() < stop)
        {
            long t0 = Stopwatch.GetTimestamp();
            await log.AppendAsync(stream, version, batch);
            Interlocked.Increment(ref hist[Math.Min(hist.Length - 1, (int)Stopwatch.GetElapsedTime(t0).TotalMicroseconds)]);
            version++;
            Interlocked.Increment(ref total);
            if (checkpointEvery > 0 && (version + phase) % checkpointEvery == 0)
            {
                await inFlight;
                inFlight = log.WriteCheckpointAsync(stream, version, state);
            }
        }
        await inFlight;
    });
}
await Task.WhenAll(tasks);
sw.Stop();
var after = log.GetStatistics();
long alloc = GC.GetTotalAllocatedBytes(true) - allocBefore;
long count = hist.Sum();
double P(double q) { long target = (long)(q * count); long acc = 0; for (int i = 0; i < hist.Length; i++) { acc += hist[i]; if (acc > target) return i; } return hist.Length; }
double maxLat = Array.FindLastIndex(hist, h => h > 0);
Console.WriteLine($"uptime: {File.ReadAllText("/proc/loadavg").Trim()}");
Console.WriteLine($"appends {total:N0} in {sw.Elapsed.TotalSeconds:F2}s = {total / sw.Elapsed.TotalSeconds:N0}/s; p50 {P(0.5):F0}us p99 {P(0.99):F0}us p999 {P(0.999):F0}us max {maxLat:F0}us");
long recs = after.AppendedRecords - before.AppendedRecords, commits = after.Commits - before.Commits, fsyncs = after.Fsyncs - before.Fsyncs, bytes = after.AppendedBytes - before.AppendedBytes;
Console.WriteLine($"records {recs:N0} commits {commits:N0} fsyncs {fsyncs:N0} records/fsync {recs / (double)Math.Max(1, fsyncs):F1} bytes/record {bytes / (double)Math.Max(1, recs):F1} alloc/append {alloc / (double)Math.Max(1, total):F0} B");
Console.WriteLine($"GC pause {(GC.GetTotalPauseDuration() - pauseBefore).TotalMilliseconds:F0} ms, collections gen0 {GC.CollectionCount(0) - g0} gen1 {GC.CollectionCount(1) - g1} gen2 {GC.CollectionCount(2) - g2}");
Console.WriteLine($"segments now {after.SegmentCount} deleted {after.SegmentsDeleted} compacted {after.SegmentsCompacted} manifestFailures {after.ManifestWriteFailures} spareWaits {after.SpareWaits} zeroFillsCut {after.ZeroFillsCut}");
if (args.Contains("--threads"))
{
    // Thread ids by name, to attribute the system calls of an strace -f run to the writer, committer and others.
    foreach (var t in Directory.GetDirectories("/proc/self/task"))
    {
        Console.WriteLine($"tid {Path.GetFileName(t)} {File.ReadAllText(Path.Combine(t, "comm")).Trim()}");
    }
}

await log.DisposeAsync();
Directory.Delete(dir, true);

sealed class PrintLoggerFactory : Microsoft.Extensions.Logging.ILoggerFactory
{
    public void AddProvider(Microsoft.Extensions.Logging.ILoggerProvider provider) { }
    public Microsoft.Extensions.Logging.ILogger CreateLogger(string categoryName) => new PrintLogger();
    public void Dispose() { }
}
sealed class PrintLogger : Microsoft.Extensions.Logging.ILogger
{
    static readonly Stopwatch Clock = Stopwatch.StartNew();
    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
    public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => logLevel >= Microsoft.Extensions.Logging.LogLevel.Debug;
    public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        => Console.WriteLine($"[{Clock.Elapsed.TotalSeconds:F3}s {logLevel}] {formatter(state, exception)}");
}
