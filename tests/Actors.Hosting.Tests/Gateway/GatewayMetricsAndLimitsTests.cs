using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Actors.Client;
using Actors.Hosting.Gateway;
using Actors.Invocation;

namespace Actors.Hosting.Tests.Gateway;

public class GatewayMetricsAndLimitsTests
{
    [Fact]
    public async Task Gateway_CallsAndProtocolErrors_RecordedInMeter()
    {
        var totals = new ConcurrentDictionary<string, long>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == GatewayInstruments.MeterName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) => totals.AddOrUpdate(instrument.Name, value, (_, v) => v + value));
        listener.Start();

        await using GatewayTestSilo silo = await GatewayTestSilo.StartAsync();
        (IClusterClient client, IGrainCallInvoker invoker) = TestClients.Create(silo.Address);
        await using (client)
        {
            await invoker.InvokeAsync(TestCalls.Call("Add", 1, 2));
            await invoker.InvokeAsync(TestCalls.Call("Add", 1, 3));
            await Assert.ThrowsAsync<InvalidOperationException>(async () => await invoker.InvokeAsync(TestCalls.Call("Fail", "x")));
        }

        await using (RawGatewayConnection raw = await RawGatewayConnection.ConnectAsync(silo.EndPoint))
        {
            await raw.SendAsync(new byte[] { 0, 0, 0, 0 });
            await raw.WaitForCloseAsync("it sent a zero frame length");
        }

        // Other tests share the static meter, so these are lower bounds.
        Assert.True(totals.GetValueOrDefault("actors.gateway.connections.opened") >= 2, "connections.opened");
        Assert.True(totals.GetValueOrDefault("actors.gateway.requests") >= 3, "requests");
        Assert.True(totals.GetValueOrDefault("actors.gateway.requests.errors") >= 1, "requests.errors");
        await Await.UntilAsync(() => totals.GetValueOrDefault("actors.gateway.connections.aborted") >= 1, () => "connections.aborted to count the zero-length frame");
    }

    [Fact]
    public async Task Gateway_MaxConcurrentRequestsReached_FurtherRequestsWaitThenRun()
    {
        await using GatewayTestSilo silo = await GatewayTestSilo.StartAsync(o => o.MaxConcurrentRequestsPerConnection = 2);
        (IClusterClient client, IGrainCallInvoker invoker) = TestClients.Create(silo.Address);
        await using (client)
        {
            Task<object?> first = invoker.InvokeAsync(TestCalls.Call("Gate", 1)).AsTask();
            Task<object?> second = invoker.InvokeAsync(TestCalls.Call("Gate", 2)).AsTask();
            await Await.UntilAsync(() => silo.Invoker.Calls == 2, () => $"two gated calls to reach the grain (calls: {silo.Invoker.Calls})");
            Task<object?> third = invoker.InvokeAsync(TestCalls.Call("Add", 1, 1)).AsTask();
            Assert.False(third.IsCompleted);
            silo.Invoker.GateFor(1).SetResult(10);
            Assert.Equal(2, await Await.WithinAsync(third, "the third call after a slot freed"));
            Assert.Equal(10, await first);
            silo.Invoker.GateFor(2).SetResult(20);
            Assert.Equal(20, await Await.WithinAsync(second, "the second gated call"));
        }
    }
}
