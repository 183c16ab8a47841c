using System.Net.Sockets;
using Actors.Client;
using Actors.Invocation;
using Actors.Wire;

namespace Actors.Hosting.Tests.Gateway;

public class GatewayConnectionChurnTests
{
    [Fact]
    public async Task Gateway_ThousandsOfConnectionsOpenedAndDropped_NothingLeftBehind()
    {
        await using GatewayTestSilo silo = await GatewayTestSilo.StartAsync();
        var random = new Random(42);
        byte[] hello = GatewayFrameCodec.EncodeHello("");
        const int total = 3000;
        int done = 0;
        for (int batch = 0; batch < total / 100; batch++)
        {
            Task[] wave = Enumerable.Range(0, 100).Select(async _ =>
            {
                using var socket = new Socket(silo.EndPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
                await socket.ConnectAsync(silo.EndPoint);
                switch (random.Next(4))
                {
                    case 0:
                        break; // connect and drop
                    case 1:
                        await socket.SendAsync(hello.AsMemory(0, random.Next(1, hello.Length))); // half a handshake
                        break;
                    case 2:
                        await socket.SendAsync(hello); // full handshake, then vanish
                        break;
                    default:
                        socket.LingerState = new LingerOption(true, 0); // abortive close (RST)
                        await socket.SendAsync(hello);
                        break;
                }

                Interlocked.Increment(ref done);
            }).ToArray();
            await Await.WithinAsync(Task.WhenAll(wave).ContinueWith(_ => 0, TaskScheduler.Default), $"connection wave {batch}", Await.DefaultLimitSeconds);
        }

        Assert.Equal(total, done);
        await Await.UntilAsync(() => silo.Info.ActiveConnections == 0,
            () => $"every one of {total} dropped connections to be cleaned up (still open: {silo.Info.ActiveConnections})", 30);

        (IClusterClient client, IGrainCallInvoker invoker) = TestClients.Create(silo.Address);
        await using (client)
        {
            Assert.Equal(11, await invoker.InvokeAsync(TestCalls.Call("Add", 5, 6)));
        }
    }

    [Fact]
    public async Task Gateway_MaxConnectionsReached_ExtraConnectionClosedOthersServed()
    {
        await using GatewayTestSilo silo = await GatewayTestSilo.StartAsync(o => o.MaxConnections = 2);
        (IClusterClient first, IGrainCallInvoker firstInvoker) = TestClients.Create(silo.Address);
        (IClusterClient second, IGrainCallInvoker secondInvoker) = TestClients.Create(silo.Address);
        await using (first)
        await using (second)
        {
            Assert.Equal(2, await firstInvoker.InvokeAsync(TestCalls.Call("Add", 1, 1)));
            Assert.Equal(3, await secondInvoker.InvokeAsync(TestCalls.Call("Add", 1, 2)));
            await using RawGatewayConnection third = await RawGatewayConnection.ConnectAsync(silo.EndPoint);
            await third.WaitForCloseAsync("MaxConnections is 2 and two clients are connected");
            await silo.Logs.WaitForAsync("MaxConnections 2 reached");
            Assert.Equal(4, await firstInvoker.InvokeAsync(TestCalls.Call("Add", 2, 2)));
        }
    }

    [Fact]
    public async Task Gateway_Stop_ClosesAllConnectionsAndStopsListening()
    {
        GatewayTestSilo silo = await GatewayTestSilo.StartAsync();
        System.Net.IPEndPoint endPoint = silo.EndPoint;
        await using RawGatewayConnection raw = await RawGatewayConnection.ConnectAndHandshakeAsync(endPoint);
        await silo.DisposeAsync();
        await raw.WaitForCloseAsync("the gateway stopped");
        using var probe = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        SocketException ex = await Assert.ThrowsAsync<SocketException>(async () => await probe.ConnectAsync(endPoint));
        Assert.Equal(SocketError.ConnectionRefused, ex.SocketErrorCode);
    }
}
