using Actors.Client;
using Actors.Hosting.Tests.Gateway;
using Actors.Runtime;
using Actors.TestingHost;

namespace Actors.Hosting.Tests.Model;

/// <summary>Observers over the gateway connection, request context in both directions, one-way calls and references on the wire.</summary>
public sealed class ObserverGatewayTests
{
    [Fact]
    public async Task Observer_CreatedByAClient_ReceivesNotificationsAndAnswersCalls_WithTheRoomsRequestContext()
    {
        await using RealSilo silo = await StartSiloAsync();
        await using IClusterClient client = Connect(silo);
        var alice = new ChatObserver("alice");
        IChatObserver reference = client.CreateObjectReference<IChatObserver>(alice);
        IChatRoomGrain room = client.GetGrain<IChatRoomGrain>("lobby");
        await room.Subscribe(reference);

        RequestContext.Set("trace", "t-42");
        int remaining;
        try
        {
            remaining = await room.Publish("hello");
        }
        finally
        {
            RequestContext.Clear();
        }

        await Await.WithinAsync(alice.FirstMessage.ContinueWith(_ => true, TaskScheduler.Default), "the notification");
        Assert.Equal(1, remaining);
        Assert.Equal(["hello|trace=t-42|room=lobby"], alice.Received);
        Assert.Equal(["alice (room=)"], await room.Describe());
        Assert.Equal(reference, client.CreateObjectReference<IChatObserver>(alice));
    }

    [Fact]
    public async Task Observer_Deleted_TheNextAwaitedCallFails_AndTheObserverManagerDropsIt()
    {
        await using RealSilo silo = await StartSiloAsync();
        await using IClusterClient client = Connect(silo);
        var kept = new ChatObserver("kept");
        var deleted = new ChatObserver("deleted");
        IChatRoomGrain room = client.GetGrain<IChatRoomGrain>("deletes");
        await room.Subscribe(client.CreateObjectReference<IChatObserver>(kept));
        await room.Subscribe(client.CreateObjectReference<IChatObserver>(deleted));
        Assert.Equal(2, await room.Publish("both"));

        client.DeleteObjectReference<IChatObserver>(deleted);

        Assert.Equal(1, await room.Publish("one"));
        Assert.Equal(["kept (room=)"], await room.Describe());
    }

    [Fact]
    public async Task Observer_ItsClientDisconnected_TheRoomDropsIt()
    {
        await using RealSilo silo = await StartSiloAsync();
        await using IClusterClient publisher = Connect(silo);
        IChatRoomGrain room = publisher.GetGrain<IChatRoomGrain>("leavers");
        IClusterClient leaver = Connect(silo);
        await leaver.GetGrain<IChatRoomGrain>("leavers").Subscribe(leaver.CreateObjectReference<IChatObserver>(new ChatObserver("gone")));
        Assert.Equal(1, await room.Publish("before"));

        await leaver.DisposeAsync();

        await Await.UntilAsync(async () => await room.Publish("after") == 0, () => "the room to drop the disconnected client's observer");
    }

    [Fact]
    public async Task GrainReference_ReturnedThroughTheGateway_IsCallableByTheClient()
    {
        await using RealSilo silo = await StartSiloAsync();
        await using IClusterClient client = Connect(silo);

        IChatRoomGrain sibling = await client.GetGrain<IChatRoomGrain>("a").Sibling("b");

        Assert.Equal("b", await sibling.Name());
        Assert.Equal(GrainId.Create("chatroom", "b"), sibling.GetGrainId());
    }

    [Fact]
    public async Task OneWay_ThroughTheGateway_TheClientDoesNotWaitForTheGrain()
    {
        await using RealSilo silo = await StartSiloAsync();
        await using IClusterClient client = Connect(silo);
        IChatRoomGrain room = client.GetGrain<IChatRoomGrain>("oneway");

        await room.SlowOneWay();
        Assert.False(await room.SlowOneWayFinished());

        await room.ReleaseSlowOneWay();
        await Await.UntilAsync(async () => await room.SlowOneWayFinished(), () => "the one-way call to finish on the silo");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Observer_OfTheTestClusterClient_IsCalledBack_ThroughTheGatewayOrInProcess(bool throughGateway)
    {
        var builder = new TestClusterBuilder().ConfigureSilo(s => s.AddGrain<ChatRoomGrain>());
        builder.Options.ConnectClientThroughGateway = throughGateway;
        await using TestCluster cluster = builder.Build();
        await cluster.DeployAsync();
        var observer = new ChatObserver("in-process");
        IChatRoomGrain room = cluster.Client.GetGrain<IChatRoomGrain>("local");
        await room.Subscribe(cluster.Client.CreateObjectReference<IChatObserver>(observer));

        Assert.Equal(1, await room.Publish("hi"));
        await Await.WithinAsync(observer.FirstMessage.ContinueWith(_ => true, TaskScheduler.Default), "the notification");
        Assert.Equal(["hi|trace=|room=local"], observer.Received);
    }

    private static Task<RealSilo> StartSiloAsync() => RealSilo.StartAsync(configure: s => s.AddGrain<ChatRoomGrain>());

    private static IClusterClient Connect(RealSilo silo) => new ClusterClientBuilder().UseGateway(silo.EndPoint).Build();
}
