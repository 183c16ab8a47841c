using Actors.Client;
using Actors.Hosting.Tests.Gateway;

namespace Actors.Hosting.Tests.Model;

/// <summary>Grain timers driven by a gateway client against a real silo on the system clock.</summary>
public sealed class TimerGatewayTests
{
    [Fact]
    public async Task RegisterGrainTimer_StartedByAGatewayClient_TicksUntilStopped()
    {
        await using RealSilo silo = await RealSilo.StartAsync(configure: s => s.AddGrain<TickerGrain>());
        await using IClusterClient client = new ClusterClientBuilder().UseGateway(silo.EndPoint).Build();
        ITickerGrain ticker = client.GetGrain<ITickerGrain>("t");

        await ticker.Start(TimeSpan.FromMilliseconds(20));
        int seen = 0;
        await Await.UntilAsync(async () => (seen = await ticker.Ticks()) >= 3, () => $"3 timer ticks seen through the gateway (saw {seen})");
        await ticker.Stop();
        int stopped = await ticker.Ticks();

        // A second timer is the clock: after it ticked five more times, the stopped one has not moved.
        ITickerGrain witness = client.GetGrain<ITickerGrain>("witness");
        await witness.Start(TimeSpan.FromMilliseconds(20));
        await Await.UntilAsync(async () => await witness.Ticks() >= 5, () => "5 ticks of the witness timer");
        Assert.Equal(stopped, await ticker.Ticks());
    }
}
