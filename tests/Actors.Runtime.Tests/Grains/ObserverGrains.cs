using Actors.Runtime.Tests.Infrastructure;
using Actors.Utilities;
using Microsoft.Extensions.Logging.Abstractions;

namespace Actors.Runtime.Tests.Grains;

public interface IRoomObserver : IGrainObserver
{
    /// <summary>A one-way notification (void).</summary>
    void ReceiveMessage(string message);

    /// <summary>A call the room waits for; answers with the observer's name and the request context's "room".</summary>
    Task<string> Describe();
}

public interface IRoomGrain : IGrainWithStringKey
{
    Task Subscribe(IRoomObserver observer);

    Task Unsubscribe(IRoomObserver observer);

    /// <summary>Notifies every subscriber (one-way), then asks each to describe itself; returns how many remain subscribed.</summary>
    Task<int> Publish(string message);

    /// <summary>The descriptions of every subscriber, sorted.</summary>
    Task<string[]> Describe();
}

/// <summary>A room keeping its subscribers in an <see cref="ObserverManager{TObserver}"/>; its calls carry the request context "room".</summary>
public sealed class RoomGrain : Grain, IRoomGrain
{
    private readonly ObserverManager<IRoomObserver> _observers = new(TimeSpan.FromMinutes(5), NullLogger.Instance);

    public Task Subscribe(IRoomObserver observer)
    {
        _observers.Subscribe(observer, observer);
        return Task.CompletedTask;
    }

    public Task Unsubscribe(IRoomObserver observer)
    {
        _observers.Unsubscribe(observer);
        return Task.CompletedTask;
    }

    public async Task<int> Publish(string message)
    {
        RequestContext.Set("room", this.GetPrimaryKeyString());
        _observers.Notify(o => o.ReceiveMessage(message));
        await _observers.Notify(o => o.Describe());
        return _observers.Count;
    }

    public async Task<string[]> Describe()
    {
        RequestContext.Set("room", this.GetPrimaryKeyString());
        var descriptions = new List<string>();
        await _observers.Notify(async o => descriptions.Add(await o.Describe()));
        return [.. descriptions.Order(StringComparer.Ordinal)];
    }
}

/// <summary>An observer object recording what it receives (in the probe, as "name:message").</summary>
public sealed class RoomObserver(string name, Probe probe) : IRoomObserver
{
    public void ReceiveMessage(string message) => probe.Record($"{name}:{message}");

    public Task<string> Describe() => Task.FromResult($"{name}@{RequestContext.Get("room")}");
}

public interface IWatcherGrain : IGrainWithStringKey
{
    /// <summary>Creates an observer object in the silo and subscribes it to <paramref name="room"/>.</summary>
    Task Watch(IRoomGrain room);

    /// <summary>Deletes the observer object (its reference stays in the room).</summary>
    Task StopWatching();
}

/// <summary>A grain that makes an object of its own callable (CreateObjectReference in a grain) and passes the reference to another grain.</summary>
public sealed class WatcherGrain(Probe probe) : Grain, IWatcherGrain
{
    private RoomObserver? _inbox;

    public async Task Watch(IRoomGrain room)
    {
        _inbox = new RoomObserver("watcher-" + this.GetPrimaryKeyString(), probe);
        await room.Subscribe(GrainFactory.CreateObjectReference<IRoomObserver>(_inbox));
    }

    public Task StopWatching()
    {
        GrainFactory.DeleteObjectReference<IRoomObserver>(_inbox!);
        return Task.CompletedTask;
    }
}

public interface ISlowObserver : IGrainObserver
{
    /// <summary>Waits for the probe's gate "slow", recording how many calls run at once.</summary>
    Task<int> Work(int n);
}

/// <summary>Counts the calls running at once.</summary>
public sealed class SlowObserver(Probe probe) : ISlowObserver
{
    private int _running;
    private int _maxRunning;

    public int MaxRunning => Volatile.Read(ref _maxRunning);

    public async Task<int> Work(int n)
    {
        int running = Interlocked.Increment(ref _running);
        InterlockedMax(ref _maxRunning, running);
        probe.Record("work-started");
        await probe.Gate("slow").Task;
        Interlocked.Decrement(ref _running);
        return n * 10;
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
