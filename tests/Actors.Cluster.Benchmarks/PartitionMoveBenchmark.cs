using System.Diagnostics;
using System.Diagnostics.Metrics;
using Actors.Cluster;
using Actors.Hosting;
using Actors.Journaling;
using Actors.Persistence.Wal;
using Actors.Persistence.Wal.Hosting;
using Actors.TestingHost;

namespace Actors.Cluster.Benchmarks;

/// <summary>
/// Time to move a partition of N grains: two in-process silos, one partition (so every grain is in it), N journaled
/// grains written once each (durable) and left active; then the owner leaves gracefully and hands the partition to the
/// other silo. The hand-off's own duration (decision to grant: deactivating the N grains, which confirms and checkpoints
/// each, closing the log, sending and installing its files) is read from <c>actors.cluster.partitions.move.duration</c>.
/// </summary>
internal static class PartitionMoveBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var options = new BenchOptions(args);
        int grains = options.GetInt("grains", 10_000);
        int rounds = options.GetInt("rounds", 3);
        Console.WriteLine($"partition move: {grains} journaled grains in one partition, {rounds} rounds; load average before: {BenchOptions.LoadAverage()}");
        var results = new List<double>();
        for (int round = 0; round < rounds; round++)
        {
            results.Add(await MeasureAsync(grains));
            Console.WriteLine($"round {round + 1}: hand-off {results[^1]:N0} ms");
        }

        results.Sort();
        Console.WriteLine($"median hand-off of a partition of {grains} grains: {results[results.Count / 2]:N0} ms; load average after: {BenchOptions.LoadAverage()}");
        return 0;
    }

    private static async Task<double> MeasureAsync(int grains)
    {
        var builder = new TestClusterBuilder(2);
        builder.Options.PartitionCount = 1;
        builder.ConfigureSilo(silo => silo
            .AddGrain<MoveGrain>()
            .AddWriteAheadLogAsDefault(o =>
            {
                o.Directory = Path.Combine(silo.GetTestSiloContext().DataDirectory, "wal");
                o.SegmentSizeBytes = 16 * 1024 * 1024;
                o.MaxRecordSizeBytes = 1024 * 1024;
                o.MaxEventSizeBytes = 64 * 1024;
            }));
        builder.Options.ConfigureClusterOptions = o => o.ShutdownMoveTimeoutForBenchmark();
        await using TestCluster cluster = builder.Build();
        await cluster.DeployAsync();
        var writes = new List<Task>();
        for (int i = 0; i < grains; i++)
        {
            writes.Add(cluster.Primary.Services.GetRequiredServiceOf<IGrainFactory>().GetGrain<IMoveGrain>($"m{i}").Write(i));
            if (writes.Count == 256)
            {
                await Task.WhenAll(writes);
                writes.Clear();
            }
        }

        await Task.WhenAll(writes);
        double moved = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Name == "actors.cluster.partitions.move.duration")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<double>((_, value, _, _) => moved = Math.Max(moved, value));
        listener.Start();
        SiloHandle owner = cluster.Silos.First(s => s.Services.GetRequiredServiceOf<IClusterView>().LocalPartitions is [Actors.Cluster.Partitioning.LocalPartitionState.Serving]);
        var clock = Stopwatch.StartNew();
        await cluster.StopSiloAsync(owner);
        Console.WriteLine($"  graceful leave of the owner took {clock.Elapsed.TotalMilliseconds:N0} ms in all");
        long check = await cluster.GetActiveSilos().First().Services.GetRequiredServiceOf<IGrainFactory>().GetGrain<IMoveGrain>($"m{grains - 1}").Read();
        if (check != grains - 1)
        {
            throw new InvalidOperationException($"grain m{grains - 1} read {check} after the move, not {grains - 1}");
        }

        return moved;
    }

    private static T GetRequiredServiceOf<T>(this IServiceProvider services)
        where T : notnull
        => (T)(services.GetService(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not registered"));

    private static void ShutdownMoveTimeoutForBenchmark(this ClusterOptions options) => options.MoveTimeout = TimeSpan.FromMinutes(10);
}

public interface IMoveGrain : IGrainWithStringKey
{
    Task Write(long value);

    Task<long> Read();
}

[EventType("move-written")]
public sealed record MoveWritten(long Value);

public sealed class MoveState : IApply<MoveWritten>
{
    public long Value { get; set; }

    public void Apply(MoveWritten e) => Value = e.Value;
}

[WriteAheadLog]
public sealed class MoveGrain : JournaledGrain<MoveState, MoveWritten>, IMoveGrain
{
    public async Task Write(long value)
    {
        RaiseEvent(new MoveWritten(value));
        await ConfirmEvents();
    }

    public Task<long> Read() => Task.FromResult(State.Value);
}
