using System.Diagnostics;
using System.Net;
using Actors.Benchmarks.Infrastructure;
using Actors.Client;
using Actors.Hosting;
using Actors.Hosting.Gateway;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Actors.Benchmarks.Scenarios;

/// <summary>A grain whose call does no work: what is measured is the call path (proxy, runtime, copies, wire).</summary>
public interface IEchoBenchGrain : IGrainWithIntegerKey
{
    Task<int> Echo(int value);
}

/// <summary>Returns its argument.</summary>
public sealed class EchoBenchGrain : Grain, IEchoBenchGrain
{
    /// <inheritdoc />
    public Task<int> Echo(int value) => Task.FromResult(value);
}

/// <summary>
/// Scenario 8: the cost of a grain call without persistence (issue 10's targets): in-silo calls one at a time from
/// one caller (target at least 500,000/s), and calls through the gateway from one client with 64 in flight on 64 grains
/// over its single connection (target at least 100,000/s). Besides calls/s it reports process CPU time and allocated
/// bytes per call, which hold up better than rates on a loaded machine (print <c>uptime</c> beside any figure).
/// </summary>
internal sealed class CallPathScenario : IScenario
{
    private const int InFlight = 64;

    public int Number => 8;

    public string Key => "calls";

    public string Title => "Grain call path (no persistence)";

    public async Task RunAsync(RunContext context, CancellationToken cancellationToken)
    {
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.UseActors(silo => silo.AddGrain<EchoBenchGrain>().AddGateway(o => o.Port = 0));
        using IHost host = builder.Build();
        await host.StartAsync(cancellationToken);
        Figures inSilo;
        Figures gateway;
        try
        {
            IGrainFactory factory = host.Services.GetRequiredService<IGrainFactory>();
            Report.Progress("  in-silo, sequential");
            inSilo = await MeasureAsync(1, i => factory.GetGrain<IEchoBenchGrain>(0), context, cancellationToken);
            IPEndPoint endPoint = host.Services.GetRequiredService<IGatewayInfo>().ListeningEndPoint
                ?? throw new InvalidOperationException("The gateway is not listening.");
            await using IClusterClient client = new ClusterClientBuilder().UseGateway(endPoint).Build();
            Report.Progress($"  gateway, {InFlight} in flight");
            gateway = await MeasureAsync(InFlight, i => client.GetGrain<IEchoBenchGrain>(i), context, cancellationToken);
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
        }

        context.Report.Note($"\nOne silo in this process with an in-memory grain whose Echo(int) returns its argument. In-silo: one caller, " +
            $"each call awaited before the next. Gateway: one client over loopback TCP, {InFlight} callers on {InFlight} grains sharing " +
            "its one connection. CPU and allocations are the whole process's (silo and client) per call.\n");
        var table = new Table("path", "calls", "calls/s", "CPU µs/call", "bytes/call", "target");
        table.Add("in-silo, sequential", Fmt.Count(inSilo.Calls), Fmt.Rate(inSilo.PerSecond), Fmt.Number(inSilo.CpuMicrosecondsPerCall, "0.00"), Fmt.Number(inSilo.BytesPerCall, "0"), ">= 500,000/s");
        table.Add($"gateway, {InFlight} in flight", Fmt.Count(gateway.Calls), Fmt.Rate(gateway.PerSecond), Fmt.Number(gateway.CpuMicrosecondsPerCall, "0.00"), Fmt.Number(gateway.BytesPerCall, "0"), ">= 100,000/s");
        context.Report.Print(table);
        context.AddGoal(new GoalResult("in-silo grain calls/s, sequential (>= 500,000)", Fmt.Rate(inSilo.PerSecond), inSilo.PerSecond >= 500_000 ? "met" : "not met"));
        context.AddGoal(new GoalResult($"gateway calls/s, {InFlight} in flight, one client (>= 100,000)", Fmt.Rate(gateway.PerSecond), gateway.PerSecond >= 100_000 ? "met" : "not met"));
    }

    private static async Task<Figures> MeasureAsync(int callers, Func<int, IEchoBenchGrain> grain, RunContext context, CancellationToken cancellationToken)
    {
        await RunForAsync(callers, grain, context.Warmup, cancellationToken);
        GC.Collect();
        TimeSpan cpu = Process.GetCurrentProcess().TotalProcessorTime;
        long allocated = GC.GetTotalAllocatedBytes(precise: true);
        var clock = Stopwatch.StartNew();
        long calls = await RunForAsync(callers, grain, context.Window, cancellationToken);
        double seconds = clock.Elapsed.TotalSeconds;
        double cpuMicroseconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMicroseconds;
        long bytes = GC.GetTotalAllocatedBytes(precise: true) - allocated;
        var figures = new Figures(calls, calls / seconds, cpuMicroseconds / calls, (double)bytes / calls);
        Report.Progress($"    {Fmt.Rate(figures.PerSecond)} calls/s, {Fmt.Number(figures.CpuMicrosecondsPerCall, "0.00")} µs CPU and {Fmt.Number(figures.BytesPerCall, "0")} B per call");
        return figures;
    }

    private static async Task<long> RunForAsync(int callers, Func<int, IEchoBenchGrain> grain, TimeSpan duration, CancellationToken cancellationToken)
    {
        long deadline = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var loops = new Task<long>[callers];
        for (int c = 0; c < callers; c++)
        {
            IEchoBenchGrain target = grain(c);
            loops[c] = Task.Run(
                async () =>
                {
                    long count = 0;
                    while (Stopwatch.GetTimestamp() < deadline && !cancellationToken.IsCancellationRequested)
                    {
                        // Checked in batches so reading the clock does not dominate a fast in-silo call.
                        for (int i = 0; i < 64; i++)
                        {
                            if (await target.Echo(i) != i)
                            {
                                throw new InvalidOperationException("Echo returned another value.");
                            }
                        }

                        count += 64;
                    }

                    return count;
                },
                cancellationToken);
        }

        long total = 0;
        foreach (long count in await Task.WhenAll(loops))
        {
            total += count;
        }

        return total;
    }

    private readonly record struct Figures(long Calls, double PerSecond, double CpuMicrosecondsPerCall, double BytesPerCall);
}
