using System.Net.Sockets;
using Actors.Client;
using Actors.Invocation;
using Actors.Wire;

namespace Actors.Hosting.Tests.Gateway;

public class GatewayFuzzTests
{
    private static byte[] Mutate(Random random, byte[] valid)
    {
        byte[] copy = (byte[])valid.Clone();
        switch (random.Next(3))
        {
            case 0:
                for (int i = random.Next(1, 4); i > 0; i--)
                {
                    copy[random.Next(copy.Length)] ^= (byte)(1 << random.Next(8));
                }

                return copy;
            case 1:
                return copy[..random.Next(copy.Length)];
            default:
                byte[] noise = new byte[random.Next(0, 64)];
                random.NextBytes(noise);
                return [.. copy, .. noise];
        }
    }

    [Fact]
    public void Decode_RandomAndMutatedBodies_OnlyProtocolExceptions()
    {
        var random = new Random(20261121);
        byte[][] valid =
        [
            GatewayFrameCodec.EncodeHello("secret")[5..],
            GatewayFrameCodec.EncodeRequest(9, GrainId.Create("t", "k"), "I.M(System.Int32)", [[1, 2, 3], [4]])[5..],
            GatewayFrameCodec.EncodeResponseOk(3, [7, 7, 7])[5..],
            GatewayFrameCodec.EncodeResponseError(3, "System.X", "m")[5..],
        ];
        int decoded = 0;
        int rejected = 0;
        for (int i = 0; i < 20_000; i++)
        {
            byte[] input;
            if (i % 4 == 0)
            {
                input = new byte[random.Next(0, 128)];
                random.NextBytes(input);
            }
            else
            {
                input = Mutate(random, valid[random.Next(valid.Length)]);
            }

            try
            {
                switch (i % 3)
                {
                    case 0:
                        GatewayFrameCodec.DecodeRequest(input);
                        break;
                    case 1:
                        GatewayFrameCodec.DecodeResponse(input);
                        break;
                    default:
                        GatewayFrameCodec.DecodeHello(input);
                        break;
                }

                decoded++;
            }
            catch (GatewayProtocolException)
            {
                rejected++;
            }
        }

        Assert.Equal(20_000, decoded + rejected);
        Assert.True(rejected > 10_000, $"most random inputs must be rejected (rejected {rejected}, decoded {decoded})");
    }

    [Fact]
    public async Task Gateway_MutatedFramesFromManyConnections_SiloKeepsServingOthers()
    {
        await using GatewayTestSilo silo = await GatewayTestSilo.StartAsync(o => o.FrameReceiveTimeout = TimeSpan.FromSeconds(1));
        (IClusterClient client, IGrainCallInvoker invoker) = TestClients.Create(silo.Address);
        await using (client)
        {
            Assert.Equal(2, await invoker.InvokeAsync(TestCalls.Call("Add", 1, 1)));
            var random = new Random(7);
            int closedEarly = 0;
            byte[] hello = GatewayFrameCodec.EncodeHello("");
            byte[] echo = GatewayFrameCodec.EncodeRequest(1, GrainId.Create("t", "k"), TestCalls.Method("Echo").Key, [[(byte)'"', (byte)'a', (byte)'"']]);
            for (int wave = 0; wave < 5; wave++)
            {
                Task[] connections = Enumerable.Range(0, 40).Select(async _ =>
                {
                    using var socket = new Socket(silo.EndPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
                    await socket.ConnectAsync(silo.EndPoint);
                    byte[] payload = random.Next(4) == 0 ? Mutate(random, hello) : [.. hello, .. Mutate(random, echo), .. Mutate(random, echo)];
                    try
                    {
                        await socket.SendAsync(payload);
                    }
                    catch (SocketException ex) when (ex.SocketErrorCode is SocketError.ConnectionReset or SocketError.Shutdown)
                    {
                        // The gateway may already have closed the connection on an earlier bad byte.
                        Interlocked.Increment(ref closedEarly);
                    }
                }).ToArray();
                await Await.WithinAsync(Task.WhenAll(connections).ContinueWith(_ => 0, TaskScheduler.Default), $"fuzz wave {wave}");
                Assert.Equal(wave + 3, await invoker.InvokeAsync(TestCalls.Call("Add", wave, 3)));
            }

            await Await.UntilAsync(() => silo.Info.ActiveConnections == 1,
                () => $"only the healthy client left connected (open: {silo.Info.ActiveConnections}; fuzz sends refused early: {closedEarly})");
            Assert.True(client.IsConnected);
        }
    }
}
