using Actors.Benchmarks.Infrastructure;
using Actors.Benchmarks.Peers;
using Actors.Benchmarks.Wal;
using Actors.Wal;

namespace Actors.Benchmarks.Scenarios;

/// <summary>The stores a throughput scenario compares, and running one of them in a fresh directory.</summary>
internal static class Stores
{
    public const string Wal = "Actors WAL";
    public const string Postgres = "PostgreSQL";
    public const string FilePerGrain = "file-per-grain";
    public const string GroupCommit = "bare group commit";
    public const string DiskFDataSync = "disk: write + fdatasync";
    public const string DiskFSync = "disk: write + fsync (FlushToDisk)";
    public const string Journal = "entry journal";

    /// <summary>
    /// Runs every store in <paramref name="stores"/> for <paramref name="rounds"/> rounds, alternating stores within
    /// each round (each round measures 1/rounds of the workload), so that all of them see the shared machine in
    /// the same states; then adds each store's rounds up. A store that fails or is unavailable in a round keeps
    /// that outcome.
    /// </summary>
    public static async Task<Dictionary<string, Outcome>> RunInterleavedAsync(
        RunContext context,
        IReadOnlyList<StoreRun> stores,
        int rounds,
        CancellationToken cancellationToken)
    {
        var results = stores.ToDictionary(s => s.Key, _ => new List<ThroughputResult>());
        var failures = new Dictionary<string, Outcome>();
        for (int round = 0; round < rounds; round++)
        {
            foreach ((string key, string store, Workload workload, SyncPolicy policy) in stores)
            {
                if (failures.ContainsKey(key))
                {
                    continue;
                }

                Workload slice = workload with
                {
                    Duration = workload.Duration / rounds,
                    MeasuredOpsPerWriter = workload.MeasuredOpsPerWriter is { } n ? Math.Max(1, n / rounds) : null,
                };
                Outcome outcome = await RunAsync(context, store, slice, cancellationToken, policy);
                if (outcome.Result is { } r)
                {
                    results[key].Add(r);
                }
                else
                {
                    failures[key] = outcome;
                }
            }
        }

        return stores.ToDictionary(
            s => s.Key,
            s => failures.TryGetValue(s.Key, out Outcome? failed) ? failed : new Outcome(ThroughputResult.Combine(results[s.Key]), "ok"));
    }

    public static string WalLabel(SyncPolicy policy) => $"{Wal} ({policy})";

    /// <summary>The engine rows' options: the benchmark's (<see cref="WalFactory.Options"/>) with the run's segment size and compaction ratio.</summary>
    private static WriteAheadLogOptions EngineOptions(string dir, SyncPolicy policy, RunContext context)
    {
        var options = WalFactory.Options(dir, policy, context.FileState, context.Args.SegmentMegabytes);
        if (context.Args.CompactionLiveRatio is { } ratio)
        {
            options.CompactionLiveRatio = ratio;
        }

        if (context.Args.MaxSparseCopySegments is { } copySegments)
        {
            options.MaxSparseCopySegments = copySegments;
        }

        if (context.Args.SnapshotDeltaMinStreams is { } deltaMinStreams)
        {
            options.SnapshotDeltaMinStreams = deltaMinStreams;
        }

        return options;
    }

    public static async Task<Outcome> RunAsync(RunContext context, string store, Workload workload, CancellationToken cancellationToken, SyncPolicy policy = SyncPolicy.Always)
    {
        string label = store == Wal ? WalLabel(policy) : store;
        if (store == Wal && !WalFactory.IsAvailable)
        {
            return new Outcome(null, "pending");
        }

        if (store == Postgres && context.Postgres is null)
        {
            return new Outcome(null, Fmt.NotRun);
        }

        string dir = context.NewDirectory(store.Replace(' ', '-'));
        Report.Progress($"  {label}: {workload.Writers} writers x {workload.PayloadBytes} B");
        try
        {
            IAppendTarget target = store switch
            {
                Wal => new WalTarget(label, ct => WalFactory.OpenAsync(EngineOptions(dir, policy, context), ct), context.Args.CheckpointEvery ?? 0, context.Args.CancellableAppends, context.Args.IdleStreams),
                Postgres => new PostgresTarget(context.Postgres!),
                FilePerGrain => new FilePerGrainTarget(Path.Combine(dir, "grains")),
                GroupCommit => new GroupCommitTarget(dir, context.FileState, context.Args.BareFreshFiles ? WalFactory.Options(dir, policy, context.FileState, context.Args.SegmentMegabytes).SegmentSizeBytes : null, new BareLoopWork(context.Args.BareCallerWorkNanoseconds, context.Args.BareSerialWorkNanoseconds, context.Args.BareCommitWorkNanoseconds, context.Args.BareExtraBytesPerCommit)),
                Journal => new JournalTarget(dir),
                DiskFDataSync => new DiskSyncTarget(dir, dataOnly: true, context.FileState),
                DiskFSync => new DiskSyncTarget(dir, dataOnly: false, context.FileState),
                _ => throw new ArgumentOutOfRangeException(nameof(store), store, "Unknown store."),
            };
            await using (target)
            {
                ThroughputResult result = await ThroughputDriver.RunAsync(target, workload, cancellationToken);
                Report.Progress($"    {Fmt.Rate(result.OpsPerSecond)} ops/s, p50 {Fmt.Latency(result.P50)}, p99 {Fmt.Latency(result.P99)}");
                return new Outcome(result, "ok");
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Report.Progress($"    failed: {ex.GetType().Name}: {ex.Message}");
            return new Outcome(null, $"failed ({ex.GetType().Name})");
        }
        finally
        {
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, recursive: true);
            }
        }
    }
}
