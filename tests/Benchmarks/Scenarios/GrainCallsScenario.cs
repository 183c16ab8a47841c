using System.Net;
using Actors.Benchmarks.Infrastructure;
using Actors.Benchmarks.Peers;
using Actors.Client;
using Actors.Demo.Grains.Accounts;
using Actors.Hosting;
using Actors.Hosting.Gateway;
using Actors.Persistence.Wal;
using Actors.Persistence.Wal.Hosting;
using Actors.Wal;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Actors.Benchmarks.Scenarios;

/// <summary>
/// Scenario 6: journaled grain calls per second with 1,000 grains, each call raising and confirming one event
/// (the demo's <see cref="BankAccountGrain.Deposit"/>, SyncPolicy.Always, checkpoint every 100 events), in-process
/// (the silo's own grain factory) and through the gateway (a cluster client over loopback TCP). Reference: raw
/// log appends at the same concurrency, so the ratio is what the runtime and the grain layer cost.
/// </summary>
internal sealed class GrainCallsScenario : IScenario
{
    private const int Grains = 1_000;

    public int Number => 6;

    public string Key => "grains";

    public string Title => "Journaled grain calls";

    public async Task RunAsync(RunContext context, CancellationToken cancellationToken)
    {
        var workload = new Workload(Grains, 0, context.Warmup, context.Window);
        Outcome inProcess;
        Outcome gateway;
        string dir = context.NewDirectory("silo");
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.UseActors(silo => silo
            .AddGrain<BankAccountGrain>()
            .AddWriteAheadLogAsDefault(o =>
            {
                o.Directory = Path.Combine(dir, "wal");
                o.SyncPolicy = SyncPolicy.Always;
            })
            .AddGateway(o => o.Port = 0));
        using (IHost host = builder.Build())
        {
            await host.StartAsync(cancellationToken);
            try
            {
                IEventLog? log = host.Services.GetRequiredKeyedService<WriteAheadLogStore>(WriteAheadLogStore.DefaultStoreName).Log;
                Report.Progress($"  in-process: {Grains} grains");
                inProcess = await RunAsync(new GrainCallTarget("in-process", host.Services.GetRequiredService<IGrainFactory>(), "in", log), workload, cancellationToken);
                IPEndPoint endPoint = host.Services.GetRequiredService<IGatewayInfo>().ListeningEndPoint
                    ?? throw new InvalidOperationException("The gateway is not listening.");
                await using IClusterClient client = new ClusterClientBuilder().UseGateway(endPoint).Build();
                Report.Progress($"  through the gateway: {Grains} grains");
                gateway = await RunAsync(new GrainCallTarget("gateway", client, "gw", log), workload, cancellationToken);
            }
            finally
            {
                await host.StopAsync(CancellationToken.None);
            }
        }

        Directory.Delete(dir, recursive: true);
        Outcome raw = await Stores.RunAsync(context, Stores.Wal, new Workload(Grains, 100, context.Warmup, context.Window), cancellationToken);
        context.Report.Note($"\n{Grains} grains, one caller per grain awaiting each call (closed loop); each call raises and confirms one " +
            "event under SyncPolicy.Always (the grain checkpoints every 100 events). appends/fsync counts the log's records (events and " +
            $"checkpoints) per fsync. Reference: raw log appends (100 B) with {Grains} writers; ratio: calls/s ÷ those appends/s.\n");
        var table = new Table("path", "grains", "calls/s", "p50", "p99", "appends/fsync", "÷ raw log appends");
        foreach ((string name, Outcome o) in new[] { ("in-process", inProcess), ("through the gateway", gateway), ("raw log appends (reference)", raw) })
        {
            table.Add(
                name,
                Fmt.Count(Grains),
                o.Cell(r => Fmt.Rate(r.OpsPerSecond)),
                o.Cell(r => Fmt.Latency(r.P50)),
                o.Cell(r => Fmt.Latency(r.P99)),
                o.Cell(r => r.AppendsPerFsync is { } a ? Fmt.Number(a) : "-"),
                Fmt.Ratio(o.OpsPerSecond, raw.OpsPerSecond));
        }

        context.Report.Print(table);
        context.AddGoal(new GoalResult(
            "journaled grain calls/s, 1,000 grains (no numeric goal in the issue)",
            $"in-process {inProcess.Cell(r => Fmt.Rate(r.OpsPerSecond))}, gateway {gateway.Cell(r => Fmt.Rate(r.OpsPerSecond))} calls/s",
            "reported"));
    }

    private static async Task<Outcome> RunAsync(GrainCallTarget target, Workload workload, CancellationToken cancellationToken)
    {
        try
        {
            await using (target)
            {
                ThroughputResult result = await ThroughputDriver.RunAsync(target, workload, cancellationToken);
                Report.Progress($"    {Fmt.Rate(result.OpsPerSecond)} calls/s, p50 {Fmt.Latency(result.P50)}, p99 {Fmt.Latency(result.P99)}");
                return new Outcome(result, "ok");
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Report.Progress($"    failed: {ex.GetType().Name}: {ex.Message}");
            return new Outcome(null, $"failed ({ex.GetType().Name})");
        }
    }
}
