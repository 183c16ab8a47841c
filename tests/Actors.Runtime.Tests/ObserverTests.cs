using Actors.Hosting;
using Actors.Invocation;
using Actors.Runtime.Tests.Grains;
using Actors.Runtime.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Actors.Runtime.Tests;

/// <summary>Observers inside a silo: CreateObjectReference/DeleteObjectReference, delivery, the copy rule and request context.</summary>
public sealed class ObserverTests
{
    private readonly Probe _probe = new();

    [Fact]
    public async Task Observer_CreatedInTheSilo_GetsOneWayNotificationsAndAnswersCalls_WithTheCallersRequestContext()
    {
        await using TestSilo silo = Start();
        var alice = new RoomObserver("alice", _probe);
        IRoomObserver reference = silo.Factory.CreateObjectReference<IRoomObserver>(alice);
        IRoomGrain room = silo.Factory.GetGrain<IRoomGrain>("lobby");
        await room.Subscribe(reference);

        Assert.Equal(1, await room.Publish("hello"));

        await _probe.WaitForAsync("alice:hello");
        Assert.Equal(["alice@lobby"], await room.Describe());
    }

    [Fact]
    public async Task Observer_CreatedByAGrain_IsPassedToAnotherGrainAndCalledBack()
    {
        await using TestSilo silo = Start();
        IRoomGrain room = silo.Factory.GetGrain<IRoomGrain>("hall");
        await silo.Factory.GetGrain<IWatcherGrain>("w1").Watch(room);
        await silo.Factory.GetGrain<IWatcherGrain>("w2").Watch(room);

        Assert.Equal(2, await room.Publish("news"));

        await _probe.WaitForAsync("watcher-w1:news");
        await _probe.WaitForAsync("watcher-w2:news");
        Assert.Equal(["watcher-w1@hall", "watcher-w2@hall"], await room.Describe());
    }

    [Fact]
    public async Task Observer_Deleted_AwaitedCallFailsWithClientNotAvailable_AndTheObserverManagerDropsIt()
    {
        await using TestSilo silo = Start();
        IRoomGrain room = silo.Factory.GetGrain<IRoomGrain>("deletes");
        await silo.Factory.GetGrain<IWatcherGrain>("kept").Watch(room);
        IWatcherGrain leaving = silo.Factory.GetGrain<IWatcherGrain>("leaving");
        await leaving.Watch(room);
        Assert.Equal(2, await room.Publish("both"));

        await leaving.StopWatching();

        Assert.Equal(1, await room.Publish("one"));
        Assert.Equal(["watcher-kept@deletes"], await room.Describe());
        await _probe.WaitForAsync("watcher-kept:one");
        Assert.Equal(0, _probe.Count("watcher-leaving:one"));
    }

    [Fact]
    public async Task Observer_Deleted_DirectCallThrowsClientNotAvailableException()
    {
        await using TestSilo silo = Start();
        var observer = new RoomObserver("gone", _probe);
        IRoomObserver reference = silo.Factory.CreateObjectReference<IRoomObserver>(observer);
        Assert.Equal("gone@", await reference.Describe());

        silo.Factory.DeleteObjectReference<IRoomObserver>(observer);

        ClientNotAvailableException error = await Assert.ThrowsAsync<ClientNotAvailableException>(() => reference.Describe());
        Assert.Contains("deleted", error.Message, StringComparison.Ordinal);
        silo.Factory.DeleteObjectReference<IRoomObserver>(observer);
    }

    [Fact]
    public async Task CreateObjectReference_SameObjectTwice_GivesEqualReferences_OtherObjectsGetOthers()
    {
        await using TestSilo silo = Start();
        var first = new RoomObserver("a", _probe);

        IRoomObserver one = silo.Factory.CreateObjectReference<IRoomObserver>(first);
        IRoomObserver again = silo.Factory.CreateObjectReference<IRoomObserver>(first);
        IRoomObserver other = silo.Factory.CreateObjectReference<IRoomObserver>(new RoomObserver("b", _probe));

        Assert.Equal(one, again);
        Assert.NotEqual(one, other);
        Assert.True(ObserverIds.IsObserver(one.GetGrainId()));
        Assert.IsNotType<RoomObserver>(one);
    }

    [Fact]
    public async Task CreateObjectReference_InterfaceTheObjectDoesNotImplement_Throws()
    {
        await using TestSilo silo = Start();

        Assert.Throws<ArgumentException>(() => silo.Factory.CreateObjectReference<ISlowObserver>(new RoomObserver("a", _probe)));
        Assert.Throws<ArgumentException>(() => silo.Factory.CreateObjectReference<IGrainObserver>(new RoomObserver("a", _probe)));
    }

    [Fact]
    public async Task Observer_ConcurrentCalls_RunOneAtATimeInArrivalOrder()
    {
        await using TestSilo silo = Start();
        var slow = new SlowObserver(_probe);
        ISlowObserver reference = silo.Factory.CreateObjectReference<ISlowObserver>(slow);

        Task<int> first = reference.Work(1);
        Task<int> second = reference.Work(2);
        await _probe.WaitForAsync("work-started");
        Assert.Equal(1, _probe.Count("work-started"));
        _probe.Gate("slow").TrySetResult();

        int[] results = await Task.WhenAll(first, second);
        Assert.Equal([10, 20], results);
        Assert.Equal(1, slow.MaxRunning);
    }

    [Fact]
    public async Task Observer_ThatNeverAnswers_CallTimesOutWithTheSilosResponseTimeout()
    {
        await using TestSilo silo = TestSilo.Start(s => { }, settings: s => s.ResponseTimeout = TimeSpan.FromMilliseconds(200));
        ISlowObserver reference = silo.Factory.CreateObjectReference<ISlowObserver>(new SlowObserver(_probe));

        TimeoutException error = await Assert.ThrowsAsync<TimeoutException>(() => reference.Work(1));

        Assert.Contains("observer", error.Message, StringComparison.Ordinal);
        _probe.Gate("slow").TrySetResult();
    }

    [Fact]
    public void VoidMethod_OnAGrainInterface_IsRefused()
    {
        Assert.Throws<ArgumentException>(() => GrainMethod.For(typeof(IVoidGrain).GetMethod(nameof(IVoidGrain.Fire))!));
        Assert.True(GrainMethod.For(typeof(IRoomObserver).GetMethod(nameof(IRoomObserver.ReceiveMessage))!).IsOneWay);
    }

    [Fact]
    public async Task ObserverRegistry_IsASiloService_WhoseIdsAreOwnedByTheSilo()
    {
        await using TestSilo silo = Start();
        var registry = silo.Services.GetRequiredService<ObserverRegistry>();
        IRoomObserver reference = silo.Factory.CreateObjectReference<IRoomObserver>(new RoomObserver("x", _probe));

        Assert.Equal(registry.Owner, ObserverIds.OwnerOf(reference.GetGrainId()));
        Assert.StartsWith("silo-", registry.Owner, StringComparison.Ordinal);
    }

    private TestSilo Start() => TestSilo.Start(
        s => s.AddGrain<RoomGrain>().AddGrain<WatcherGrain>(),
        services: services => services.AddSingleton(_probe));

    public interface IVoidGrain : IGrainWithStringKey
    {
        void Fire();
    }
}
