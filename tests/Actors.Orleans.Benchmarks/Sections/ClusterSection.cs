using Actors.Orleans.Benchmarks.Grains;
using Actors.Orleans.Benchmarks.Hosting;
using Actors.Orleans.Benchmarks.Machine;
using Actors.Orleans.Benchmarks.Measurement;
using Actors.Orleans.Benchmarks.Options;
using Actors.Orleans.Benchmarks.PostgreSql;
using Actors.Orleans.Benchmarks.Reporting;
using Actors.Orleans.Benchmarks.Variants;
using Actors.Orleans.Clustering;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace Actors.Orleans.Benchmarks.Sections;

/// <summary>
/// Three replicating silos against the one unreplicated silo: the same closed-loop callers (one grain each, one durable
/// write per call) on each WAL variant, once through the benchmark's own silo (no <c>AddWriteAheadLogReplication</c>)
/// and once through three silos in this process that replicate with <c>--replication-factor</c> (Orleans's ADO.NET
/// membership and the partition rows in PostgreSQL; each grain placed on its partition's leader). The callers run where
/// <c>--callers-from</c> says (<see cref="CallerPlacement"/>): inside a silo (the one silo's calls are then in-process;
/// the replicating silos' callers use the first silo's grain factory, so about two thirds of the calls cross a
/// silo-to-silo link), or in an Orleans client through the gateways, as deployed callers do; each placement calls the
/// same grains. Each round runs every (callers, topology, variant) once, starting one later than the round before; the
/// table gives medians over rounds and the ratio to the one silo with callers in the same place, with the load average.
/// </summary>
public static class ClusterSection
{
    private const string Database = "orleans_cluster";
    private const int Silos = 3;

    /// <param name="singleSiloGatewayPort">The gateway port of the benchmark's one silo, which its client connects to.</param>
    public static async Task RunAsync(BenchContext context, PostgreSqlServer postgres, string runDirectory, SiloSettings settings, int singleSiloGatewayPort)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(postgres);
        int factor = context.Options.ReplicationFactor;
        BenchVariant[] variants = [.. context.Options.ClusterVariants()];
        if (variants.Length == 0)
        {
            throw new ArgumentException("--sections cluster needs a WAL variant (wal-journaled, wal-state) in --variants");
        }

        string connectionString = await CreateDatabaseAsync(postgres);
        await OrleansMembershipSchema.CreateAsync(connectionString);
        var silos = new List<IHost>();
        var started = new List<IHost>();
        var clients = new List<IHost>();
        var startedClients = new List<IHost>();
        try
        {
            for (int i = 0; i < Silos; i++)
            {
                string wal = Path.Combine(runDirectory, $"cluster-silo-{i}", "wal");
                Directory.CreateDirectory(wal);
                silos.Add(ClusterSiloBuilder.Build(settings with { WalDirectory = wal }, connectionString, factor, $"bench-silo-{i}", context.Options.FollowerApplyDelay, context.Options.PartitionCount));
            }

            BenchContext.Progress($"cluster: starting {Silos} replicating silos (replication factor {factor})");
            try
            {
                await Task.WhenAll(silos.Select(async silo =>
                {
                    await silo.StartAsync();
                    lock (started)
                    {
                        started.Add(silo);
                    }
                }));
            }
            catch (OptionsValidationException ex)
            {
                throw new InvalidOperationException($"The replicating silos did not start at --replication-factor {factor}: {ex.Message}", ex);
            }

            var factories = new List<CallerFactories>();
            foreach (CallerPlacement placement in context.Options.CallersFrom)
            {
                if (placement == CallerPlacement.Silo)
                {
                    factories.Add(new CallerFactories(placement, context.Options.ClusterBaseline ? context.Grains : null, silos[0].Services.GetRequiredService<IGrainFactory>()));
                    continue;
                }

                // Started after every silo is active, so the membership table lists all three gateways.
                string gateways = string.Join(", ", silos.Select(silo => silo.Services.GetRequiredService<IOptions<EndpointOptions>>().Value.GatewayPort));
                BenchContext.Progress($"cluster: starting the Orleans client of the replicating silos (their gateways, on loopback ports {gateways}, from the membership table)");
                IHost cluster = BenchClientBuilder.ForCluster(connectionString);
                clients.Add(cluster);
                await cluster.StartAsync();
                startedClients.Add(cluster);
                IGrainFactory? singleSilo = null;
                if (context.Options.ClusterBaseline)
                {
                    BenchContext.Progress($"cluster: starting the Orleans client of the one silo (its gateway on 127.0.0.1:{singleSiloGatewayPort})");
                    IHost single = BenchClientBuilder.ForGateway(singleSiloGatewayPort);
                    clients.Add(single);
                    await single.StartAsync();
                    startedClients.Add(single);
                    singleSilo = single.Services.GetRequiredService<IClusterClient>();
                }

                factories.Add(new CallerFactories(placement, singleSilo, cluster.Services.GetRequiredService<IClusterClient>()));
            }

            await MeasureAsync(context, factories, silos, variants, factor);
        }
        finally
        {
            BenchContext.Progress("cluster: stopping the clients and the replicating silos");
            foreach (IHost client in startedClients)
            {
                await client.StopAsync();
            }

            foreach (IHost client in clients)
            {
                client.Dispose();
            }

            await Task.WhenAll(started.Select(s => s.StopAsync()));
            foreach (IHost silo in silos)
            {
                silo.Dispose();
            }
        }
    }

    private static async Task MeasureAsync(BenchContext context, IReadOnlyList<CallerFactories> factories, IReadOnlyList<IHost> silos, BenchVariant[] variants, int factor)
    {
        int callers = context.Options.Callers;
        string replicated = $"{Silos} silos, replication factor {factor}";
        const string single = "1 silo, no replication";
        var series = new List<(CallerPlacement Callers, string Topology, BenchVariant Variant, IReadOnlyList<IBenchGrain> Grains)>();
        foreach (BenchVariant variant in variants)
        {
            foreach (CallerFactories from in factories)
            {
                if (from.SingleSilo is { } singleSilo)
                {
                    series.Add((from.Placement, single, variant, BenchContext.GrainRange(singleSilo, variant.GrainType, 0, callers)));
                }

                series.Add((from.Placement, replicated, variant, BenchContext.GrainRange(from.Cluster, variant.GrainType, 0, callers)));
            }
        }

        foreach ((CallerPlacement from, string topology, BenchVariant variant, IReadOnlyList<IBenchGrain> grains) in series)
        {
            BenchContext.Progress($"cluster: activating {grains.Count} grains of {variant.Key} on {topology} from {Name(from)} (first write, untimed)");
            await Task.WhenAll(grains.Select(g => g.Write(context.Payload)));
        }

        // What the replicas cost with no calls at all (heartbeats, driver loops, committers): a fixed cost per second that
        // weighs on CPU per call the more the slower the calls come.
        (TimeSpan idleCpu, long idleAllocated) = await IdleAsync(TimeSpan.FromSeconds(3));
        BenchContext.Progress(Fmt.Invariant($"cluster idle: {idleCpu.TotalMilliseconds / 3:0.0} ms CPU per s, {idleAllocated / 3 / 1024:0} KiB allocated per s, with no calls, load {LoadAverage.Read()}"));

        var rounds = series.Select(_ => new List<CallRound>()).ToArray();
        var perRound = new MarkdownTable("round", "callers", "topology", "variant", "calls/s", "p50", "p99", "CPU per call", "load avg (1/5/15 min)");
        var costs = new MarkdownTable("round", "callers", "variant", "writes per entry", "frames per call", "entries written per call", "replica syncs per call", "journal fsyncs per call", "materialized commits per entry", "allocated per call");
        for (int round = 0; round < context.Options.Rounds; round++)
        {
            for (int step = 0; step < series.Count; step++)
            {
                int s = (step + round) % series.Count;
                ReplicationSample before = ReplicationSample.Take(silos);
                CallRound result = await ClosedLoopRunner.RunAsync(series[s].Grains, context.Payload, context.Warmup, context.Measured);
                string counts = "";
                string from = Name(series[s].Callers);
                if (series[s].Topology == replicated)
                {
                    // Counted over warm-up and measured period alike (the counts are exact, so the ratios hold for either).
                    ReplicationSample cost = ReplicationSample.Take(silos).Since(before);
                    double calls = Math.Max(1, cost.Writes);
                    costs.Add((round + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), from, series[s].Variant.Title,
                        Fmt.Invariant($"{cost.Writes / (double)Math.Max(1, cost.Entries):0.00}"),
                        Fmt.Invariant($"{cost.Frames / calls:0.00}"),
                        Fmt.Invariant($"{cost.EntriesWritten / calls:0.00}"),
                        Fmt.Invariant($"{cost.Syncs / calls:0.00}"),
                        Fmt.Invariant($"{cost.JournalSyncs / calls:0.000}"),
                        Fmt.Invariant($"{cost.MaterializedCommits / (double)Math.Max(1, cost.Entries):0.00}"),
                        Fmt.Invariant($"{result.AllocatedBytesPerCall:0} B"));
                    counts = Fmt.Invariant($", {cost.Writes / (double)Math.Max(1, cost.Entries):0.00} writes per entry, {cost.Frames / calls:0.00} frames per call, {cost.MaterializedCommits / (double)Math.Max(1, cost.Entries):0.00} materialized commits per entry");
                }

                rounds[s].Add(result);
                perRound.Add((round + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), from, series[s].Topology, series[s].Variant.Title,
                    Fmt.Rate(result.CallsPerSecond), Fmt.Duration(result.P50Nanoseconds), Fmt.Duration(result.P99Nanoseconds),
                    Fmt.Invariant($"{result.CpuMicrosecondsPerCall:0.0} µs"), result.Load.ToString());
                BenchContext.Progress($"cluster round {round + 1}/{context.Options.Rounds} {series[s].Topology} {series[s].Variant.Key}, callers from {from}: {Fmt.Rate(result.CallsPerSecond)} calls/s, p99 {Fmt.Duration(result.P99Nanoseconds)}, CPU {result.CpuMicrosecondsPerCall:0.0} µs per call, {result.AllocatedBytesPerCall:0} B allocated per call{counts}, load {result.Load}");
            }
        }

        (TimeSpan idleAfterCpu, long idleAfterAllocated) = await IdleAsync(TimeSpan.FromSeconds(3));
        BenchContext.Progress(Fmt.Invariant($"cluster idle after the rounds: {idleAfterCpu.TotalMilliseconds / 3:0.0} ms CPU per s, {idleAfterAllocated / 3 / 1024:0} KiB allocated per s, with no calls, load {LoadAverage.Read()}"));

        // Every placement calls the same grains of a topology and variant: their stored writes cover the calls of all.
        foreach (var same in Enumerable.Range(0, series.Count).GroupBy(s => (series[s].Topology, series[s].Variant)))
        {
            long stored = (await Task.WhenAll(series[same.First()].Grains.Select(g => g.Writes()))).Sum();
            long counted = same.Sum(s => rounds[s].Sum(r => r.Calls));
            if (stored < counted)
            {
                throw new InvalidOperationException($"{same.Key.Topology} {same.Key.Variant.Key}: the grains hold {stored} writes; the rounds counted {counted} calls");
            }
        }

        var summary = new MarkdownTable("callers", "topology", "variant", "calls/s", "p50", "p99", "CPU per call (min-max over rounds)", "÷ one silo calls/s", "load avg 1 min (min-max over rounds)");
        for (int s = 0; s < series.Count; s++)
        {
            double callsPerSecond = Statistics.Median(rounds[s].Select(r => r.CallsPerSecond));
            int baseline = series.FindIndex(x => x.Topology == single && x.Variant == series[s].Variant && x.Callers == series[s].Callers);
            string ratio = baseline < 0 ? "-" : Fmt.Invariant($"{callsPerSecond / Statistics.Median(rounds[baseline].Select(r => r.CallsPerSecond)):0.00}×");
            summary.Add(Name(series[s].Callers), series[s].Topology, series[s].Variant.Title, Fmt.Rate(callsPerSecond),
                Fmt.Duration(Statistics.Median(rounds[s].Select(r => r.P50Nanoseconds))),
                Fmt.Duration(Statistics.Median(rounds[s].Select(r => r.P99Nanoseconds))),
                Fmt.Invariant($"{rounds[s].Min(r => r.CpuMicrosecondsPerCall):0.0}-{rounds[s].Max(r => r.CpuMicrosecondsPerCall):0.0} µs"),
                ratio,
                Fmt.Invariant($"{rounds[s].Min(r => r.Load.OneMinute):0.00}-{rounds[s].Max(r => r.Load.OneMinute):0.00}"));
        }

        TextWriter output = context.Output;
        output.WriteLine($"### Cluster: {replicated} vs {single}, {callers} closed-loop callers, one grain each, {context.Options.PayloadBytes} B per write");
        output.WriteLine();
        output.WriteLine($"Medians over {context.Options.Rounds} interleaved rounds of {context.Options.SecondsPerRound:0.#} s (each after {context.Options.WarmupSeconds:0.#} s of untimed calls). All silos run in this process. Callers:");
        output.WriteLine();
        foreach (CallerFactories from in factories)
        {
            output.WriteLine(from.Placement == CallerPlacement.Silo
                ? "- `silo`: the callers use a silo's own grain factory: the one silo's calls are local, in-process calls (no serialization, no messaging); the replicating silos' callers use the first silo's, so calls to grains led by the other two cross a loopback silo-to-silo link."
                : "- `client`: the callers use an Orleans client (`UseOrleansClient`, a host of its own per topology in this process): every call is serialized and crosses a loopback client-to-gateway connection; the one silo's client connects to its gateway (localhost clustering), the replicating silos' client takes the gateways of the active silos from Orleans's ADO.NET membership table and spreads the grains over them, so a call whose gateway does not host its grain crosses a silo-to-silo link too.");
        }

        output.WriteLine();
        output.WriteLine("CPU per call is the whole process's (callers, clients and silos; user + system) over the measured period, divided by the calls. Each placement calls the same grains; every grain's stored writes were read back: at least the calls counted.");
        output.WriteLine();
        output.WriteLine(summary);
        output.WriteLine("Every round:");
        output.WriteLine();
        output.WriteLine(perRound);
        output.WriteLine("What the replicated rounds cost, from the silos' own counts summed over the three silos (per write: each call is one write; warm-up included):");
        output.WriteLine();
        output.WriteLine(costs);
    }

    private static string Name(CallerPlacement placement) => placement.ToString().ToLowerInvariant();

    private static async Task<(TimeSpan Cpu, long Allocated)> IdleAsync(TimeSpan period)
    {
        using var process = System.Diagnostics.Process.GetCurrentProcess();
        long allocated = GC.GetTotalAllocatedBytes(precise: false);
        TimeSpan cpu = process.TotalProcessorTime;
        await Task.Delay(period);
        process.Refresh();
        return (process.TotalProcessorTime - cpu, GC.GetTotalAllocatedBytes(precise: false) - allocated);
    }

    private static async Task<string> CreateDatabaseAsync(PostgreSqlServer postgres)
    {
        await using (Npgsql.NpgsqlDataSource admin = Npgsql.NpgsqlDataSource.Create(postgres.ConnectionString()))
        {
            await using Npgsql.NpgsqlCommand create = admin.CreateCommand($"CREATE DATABASE {Database}");
            await create.ExecuteNonQueryAsync();
        }

        return postgres.ConnectionString(Database);
    }

    /// <summary>The grain factories callers of one placement use: the one silo's (null: <c>--cluster-baseline off</c>) and the replicating silos'.</summary>
    private sealed record CallerFactories(CallerPlacement Placement, IGrainFactory? SingleSilo, IGrainFactory Cluster);
}
