using Actors.Concurrency;
using Actors.Runtime;
using Actors.Utilities;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Actors.Hosting.Tests.Model;

public interface IChatObserver : IGrainObserver
{
    /// <summary>A one-way notification.</summary>
    void ReceiveMessage(string message, string? trace);

    /// <summary>A call the room waits for.</summary>
    Task<string> Describe();
}

public interface IChatRoomGrain : IGrainWithStringKey
{
    Task Subscribe(IChatObserver observer);

    Task Unsubscribe(IChatObserver observer);

    /// <summary>Notifies every subscriber; returns how many subscribers remain afterwards.</summary>
    Task<int> Publish(string message);

    /// <summary>Asks every subscriber to describe itself.</summary>
    Task<string[]> Describe();

    Task<IChatRoomGrain> Sibling(string name);

    Task<string> Name();

    /// <summary>One-way: waits until <see cref="ReleaseSlowOneWay"/> was called, then records that it finished.</summary>
    [OneWay]
    Task SlowOneWay();

    [AlwaysInterleave]
    Task ReleaseSlowOneWay();

    [AlwaysInterleave]
    Task<bool> SlowOneWayFinished();
}

/// <summary>A chat room keeping its subscribers in an ObserverManager; notifications carry the room's request context.</summary>
public sealed class ChatRoomGrain(ILogger<ChatRoomGrain>? logger = null) : Grain, IChatRoomGrain
{
    private readonly ObserverManager<IChatObserver> _observers = new(TimeSpan.FromMinutes(5), logger ?? (ILogger)NullLogger.Instance);
    private readonly TaskCompletionSource _slowGate = new();
    private bool _slowFinished;

    public Task Subscribe(IChatObserver observer)
    {
        _observers.Subscribe(observer, observer);
        return Task.CompletedTask;
    }

    public Task Unsubscribe(IChatObserver observer)
    {
        _observers.Unsubscribe(observer);
        return Task.CompletedTask;
    }

    public async Task<int> Publish(string message)
    {
        // Calls made while publishing carry this value to the observers (silo-to-client request context).
        RequestContext.Set("room", GetPrimaryKeyString());
        string? trace = RequestContext.Get("trace") as string;

        // A void notification is one-way; Describe() is awaited, so a gone client is detected and dropped.
        _observers.Notify(o => o.ReceiveMessage(message, trace));
        await _observers.Notify(async o => await o.Describe());
        return _observers.Count;
    }

    public async Task<string[]> Describe()
    {
        var descriptions = new List<string>();
        await _observers.Notify(async o => descriptions.Add(await o.Describe()));
        return [.. descriptions.Order(StringComparer.Ordinal)];
    }

    public Task<IChatRoomGrain> Sibling(string name) => Task.FromResult(GrainFactory.GetGrain<IChatRoomGrain>(name));

    public Task<string> Name() => Task.FromResult(GetPrimaryKeyString());

    public async Task SlowOneWay()
    {
        await _slowGate.Task;
        _slowFinished = true;
    }

    public Task ReleaseSlowOneWay()
    {
        _slowGate.TrySetResult();
        return Task.CompletedTask;
    }

    public Task<bool> SlowOneWayFinished() => Task.FromResult(_slowFinished);
}

/// <summary>A client-side observer recording what it receives.</summary>
public sealed class ChatObserver(string name) : IChatObserver
{
    private readonly List<string> _received = [];
    private readonly TaskCompletionSource _firstMessage = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public IReadOnlyList<string> Received
    {
        get
        {
            lock (_received)
            {
                return [.. _received];
            }
        }
    }

    public Task FirstMessage => _firstMessage.Task;

    public void ReceiveMessage(string message, string? trace)
    {
        lock (_received)
        {
            _received.Add($"{message}|trace={trace}|room={RequestContext.Get("room")}");
        }

        _firstMessage.TrySetResult();
    }

    public Task<string> Describe() => Task.FromResult($"{name} (room={RequestContext.Get("room")})");
}
