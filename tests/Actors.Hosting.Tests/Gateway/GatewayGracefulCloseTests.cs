using Actors.Serialization;
using Actors.Wire;

namespace Actors.Hosting.Tests.Gateway;

/// <summary>How a stopping gateway ends a client connection: its last frames must reach the client.</summary>
public sealed class GatewayGracefulCloseTests
{
    /// <remarks>
    /// A socket closed with received bytes still unread is reset, not closed in order, and a reset may discard what was
    /// written just before it (the last responses and the Goodbye): a client then sees its calls' outcome as unknown
    /// although the gateway had answered them or never started them. A client that keeps calling while the gateway drains
    /// always leaves such bytes (its later requests, which a draining gateway does not read).
    /// </remarks>
    [Fact]
    public async Task Stop_ClientSentRequestsAfterTheDrainBegan_LastResponseAndGoodbyeThenOrderlyClose()
    {
        GatewayTestSilo silo = await GatewayTestSilo.StartAsync(o => o.DrainTimeout = TimeSpan.FromSeconds(60));
        await using RawGatewayConnection raw = await RawGatewayConnection.ConnectAndHandshakeAsync(silo.EndPoint);
        var serializer = new Serializer();
        string gate = TestCalls.Method("Gate").Key;
        await raw.SendAsync(GatewayFrameCodec.EncodeRequest(1, GrainId.Create("testgateway", "g1"), gate, [serializer.SerializeToArray(7)]));
        await Await.UntilAsync(() => silo.Invoker.Calls == 1, () => "the gated call to reach the grain");

        Task stopping = silo.DisposeAsync().AsTask();
        await silo.Logs.WaitForAsync("draining: waiting for 1 running requests");
        string add = TestCalls.Method("Add").Key;
        await raw.SendAsync(GatewayFrameCodec.EncodeRequest(2, GrainId.Create("testgateway", "g1"), add, [serializer.SerializeToArray(1), serializer.SerializeToArray(2)]));
        silo.Invoker.GateFor(7).SetResult(42);

        (GatewayFrameKind kind, byte[] body) = await raw.ReadFrameAsync();
        Assert.Equal((GatewayFrameKind.Response, 1UL), (kind, GatewayFrameCodec.DecodeResponse(body).CorrelationId));
        Assert.Equal(GatewayFrameKind.Goodbye, (await raw.ReadFrameAsync()).Kind);
        raw.ShutdownSend();
        Assert.True(await raw.ReadUntilClosedInOrderAsync(), "the gateway reset the connection instead of closing it in order");
        await Await.WithinAsync(stopping.ContinueWith(_ => 0, TaskScheduler.Default), "the silo to finish stopping");
        Assert.Equal(1, silo.Invoker.Calls);
    }
}
