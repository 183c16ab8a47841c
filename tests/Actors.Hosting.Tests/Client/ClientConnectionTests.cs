using System.Net;
using System.Net.Sockets;
using Actors.Client;
using Actors.Hosting.Tests.Gateway;
using Actors.Invocation;
using Actors.TestingHost;

namespace Actors.Hosting.Tests.Client;

public class ClientConnectionTests
{
    private static int FreePort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    [Fact]
    public async Task Connect_NothingListening_GatewayUnavailableNamesEndpoint()
    {
        string address = $"127.0.0.1:{FreePort()}";
        (IClusterClient client, IGrainCallInvoker invoker) = TestClients.Create(address, o => o.ConnectAttempts = 2);
        await using (client)
        {
            GatewayUnavailableException ex = await Assert.ThrowsAsync<GatewayUnavailableException>(() => client.ConnectAsync());
            Assert.Contains(address, ex.Message, StringComparison.Ordinal);
            Assert.Equal(2, ex.Attempts);
            Assert.IsType<SocketException>(ex.InnerException);

            GatewayUnavailableException onCall = await Assert.ThrowsAsync<GatewayUnavailableException>(
                async () => await invoker.InvokeAsync(TestCalls.Call("Add", 1, 2)));
            Assert.Equal([address], onCall.Endpoints);
        }
    }

    [Fact]
    public async Task Connect_SecondGatewayAnswers_UsesIt()
    {
        await using GatewayTestSilo silo = await GatewayTestSilo.StartAsync();
        IClusterClient client = new ClusterClientBuilder()
            .UseGateway($"127.0.0.1:{FreePort()}")
            .UseGateway(silo.EndPoint)
            .Configure(o => o.ConnectAttempts = 1)
            .Build();
        await using (client)
        {
            await client.ConnectAsync();
            Assert.True(client.IsConnected);
            Assert.Equal(3, await ((ClusterClient)client).Invoker.InvokeAsync(TestCalls.Call("Add", 1, 2)));
        }
    }

    [Fact]
    public async Task Invoke_BeforeConnect_ConnectsOnDemand()
    {
        await using GatewayTestSilo silo = await GatewayTestSilo.StartAsync();
        (IClusterClient client, IGrainCallInvoker invoker) = TestClients.Create(silo.Address);
        await using (client)
        {
            Assert.False(client.IsConnected);
            Task<object?>[] calls = Enumerable.Range(0, 20).Select(i => invoker.InvokeAsync(TestCalls.Call("Add", i, i)).AsTask()).ToArray();
            await Await.WithinAsync(Task.WhenAll(calls), "20 calls racing to connect");
            Assert.True(client.IsConnected);
            Assert.Equal(1, silo.Info.ActiveConnections);
        }
    }

    [Fact]
    public async Task Invoke_AfterSiloRestart_Reconnects()
    {
        // A reserved port: a system-chosen one could be handed to another process's connection while the silo is down.
        using LoopbackPortReservation reservation = LoopbackPortReservation.Reserve() ?? throw new InvalidOperationException("no port to reserve on this system");
        int port = reservation.Port;
        GatewayTestSilo silo = await GatewayTestSilo.StartAsync(o => o.Port = port);
        (IClusterClient client, IGrainCallInvoker invoker) = TestClients.Create(silo.Address, o => o.ConnectAttempts = 1);
        await using (client)
        {
            Assert.Equal(2, await invoker.InvokeAsync(TestCalls.Call("Add", 1, 1)));
            await silo.DisposeAsync();
            await Await.UntilAsync(() => !client.IsConnected, () => "the client to notice the silo closed its connection");

            await Assert.ThrowsAsync<GatewayUnavailableException>(async () => await invoker.InvokeAsync(TestCalls.Call("Add", 1, 1)));

            await using GatewayTestSilo restarted = await GatewayTestSilo.StartAsync(o => o.Port = port);
            Task<object?>[] calls = Enumerable.Range(0, 50).Select(i => invoker.InvokeAsync(TestCalls.Call("Add", i, 1)).AsTask()).ToArray();
            object?[] results = await Await.WithinAsync(Task.WhenAll(calls), "50 calls after the silo restarted");
            Assert.Equal(Enumerable.Range(1, 50).Select(i => (object?)i), results);
            Assert.Equal(1, restarted.Info.ActiveConnections);
        }
    }

    [Fact]
    public async Task Invoke_InFlightWhenSiloStops_GatewayConnectionLost()
    {
        GatewayTestSilo silo = await GatewayTestSilo.StartAsync(o => o.DrainTimeout = TimeSpan.FromMilliseconds(200));
        string address = silo.Address;
        (IClusterClient client, IGrainCallInvoker invoker) = TestClients.Create(address, o => o.ConnectAttempts = 1);
        await using (client)
        {
            Task<object?> hanging = invoker.InvokeAsync(TestCalls.Call("Hang")).AsTask();
            await Await.WithinAsync(silo.Invoker.HangStarted.Task.ContinueWith(_ => 0, TaskScheduler.Default), "the hanging call to reach the silo");
            await silo.DisposeAsync();
            GatewayConnectionLostException ex = await Assert.ThrowsAsync<GatewayConnectionLostException>(() => Await.WithinAsync(hanging, "the in-flight call to fail"));
            Assert.Contains(address, ex.Message, StringComparison.Ordinal);
            Assert.Contains("outcome is unknown", ex.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Invoke_InFlightWhenSiloStopsGracefully_AnsweredDuringDrain()
    {
        GatewayTestSilo silo = await GatewayTestSilo.StartAsync(o => o.DrainTimeout = TimeSpan.FromSeconds(30));
        (IClusterClient client, IGrainCallInvoker invoker) = TestClients.Create(silo.Address, o => o.ConnectAttempts = 1);
        await using (client)
        {
            Task<object?> gated = invoker.InvokeAsync(TestCalls.Call("Gate", 7)).AsTask();
            await Await.UntilAsync(() => silo.Invoker.Calls == 1, () => "the gated call to reach the grain");
            Task stopping = silo.DisposeAsync().AsTask();
            await silo.Logs.WaitForAsync("draining: waiting for 1 running requests");
            Assert.False(stopping.IsCompleted, "the stop must wait for the running request");
            silo.Invoker.GateFor(7).SetResult(42);
            Assert.Equal(42, await Await.WithinAsync(gated, "the running call's answer during the drain"));
            await Await.WithinAsync(stopping.ContinueWith(_ => 0, TaskScheduler.Default), "the silo to finish stopping after the drain");
            await Await.UntilAsync(() => !client.IsConnected, () => "the drained connection to close");
        }
    }

    [Fact]
    public async Task Invoke_NoResponseWithinResponseTimeout_TimeoutException()
    {
        await using GatewayTestSilo silo = await GatewayTestSilo.StartAsync();
        (IClusterClient client, IGrainCallInvoker invoker) = TestClients.Create(silo.Address, o => o.ResponseTimeout = TimeSpan.FromMilliseconds(200));
        await using (client)
        {
            TimeoutException ex = await Assert.ThrowsAsync<TimeoutException>(async () => await invoker.InvokeAsync(TestCalls.Call("Hang")));
            Assert.Contains("ResponseTimeout", ex.Message, StringComparison.Ordinal);
            Assert.Contains(TestCalls.Method("Hang").Key, ex.Message, StringComparison.Ordinal);
            // A timed-out call does not tear down the shared connection (a follow-up call is not made here: it would
            // be subject to the same 200 ms limit on a loaded machine).
            Assert.True(client.IsConnected);
            Assert.Equal(1, silo.Info.ActiveConnections);
        }
    }

    [Fact]
    public async Task Invoke_CallerCancels_OperationCanceledAndConnectionUsable()
    {
        await using GatewayTestSilo silo = await GatewayTestSilo.StartAsync();
        (IClusterClient client, IGrainCallInvoker invoker) = TestClients.Create(silo.Address);
        await using (client)
        {
            using var cancel = new CancellationTokenSource();
            Task<object?> call = invoker.InvokeAsync(TestCalls.Call("Gate", 5), cancel.Token).AsTask();
            await cancel.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
            Assert.Equal(5, await invoker.InvokeAsync(TestCalls.Call("Add", 2, 3)));
        }
    }

    [Fact]
    public async Task Invoke_AfterDispose_ObjectDisposed()
    {
        await using GatewayTestSilo silo = await GatewayTestSilo.StartAsync();
        (IClusterClient client, IGrainCallInvoker invoker) = TestClients.Create(silo.Address);
        Assert.Equal(2, await invoker.InvokeAsync(TestCalls.Call("Add", 1, 1)));
        await client.DisposeAsync();
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await invoker.InvokeAsync(TestCalls.Call("Add", 1, 1)));
        await Await.UntilAsync(() => silo.Info.ActiveConnections == 0, () => "the silo to see the disposed client's connection close");
    }
}
