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

    public static async Task<Outcome> RunAsync(RunContext context, string store, Workload workload, CancellationToken cancellationToken, SyncPolicy policy = SyncPolicy.Always)
    {
        string label = store == Wal ? $"{Wal} ({policy})" : store;
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
                Wal => new WalTarget(label, ct => WalFactory.OpenAsync(WalFactory.Options(dir, policy), ct)),
                Postgres => new PostgresTarget(context.Postgres!),
                FilePerGrain => new FilePerGrainTarget(Path.Combine(dir, "grains")),
                GroupCommit => new GroupCommitTarget(dir),
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
