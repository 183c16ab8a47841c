using System.Collections.Immutable;
using System.Numerics;
using Actors.Runtime;

namespace Actors.Hosting.Tests.WirePath;

[GenerateSerializer, Alias("tests.wire.product")]
public sealed record ProductDetails(string Name, decimal Price, ImmutableArray<string> Tags);

[GenerateSerializer, Alias("tests.wire.todo-event")]
public abstract record TodoEvent
{
    [Id(0)]
    public DateTimeOffset At { get; init; }
}

[GenerateSerializer, Alias("tests.wire.todo-added")]
public sealed record TodoAdded(Guid Id, string Title) : TodoEvent;

[GenerateSerializer, Alias("tests.wire.todo-removed")]
public sealed record TodoRemoved(Guid Id) : TodoEvent;

[GenerateSerializer, Alias("tests.wire.rejected")]
public sealed class OrderRejectedException : Exception
{
    public OrderRejectedException(string message, int code)
        : base(message)
    {
        Code = code;
    }

    [Id(0)]
    public int Code { get; private set; }
}

/// <summary>A type without a serializer: only an <c>object</c> slot lets it reach the wire, where it must fail by name.</summary>
public sealed class NotMarked
{
    public int Value { get; set; }
}

public interface IWireShapesGrain : IGrainWithStringKey
{
    Task<(bool Found, ProductDetails? Details)> TryGetProduct(string id);

    Task<TodoEvent> EchoEvent(TodoEvent value);

    Task<IReadOnlyList<TodoEvent>> History(List<TodoEvent> events);

    Task<Dictionary<string, (int, BigInteger?)>> Map(Dictionary<string, (int, BigInteger?)> value);

    Task<object?> EchoObject(object? value);

    /// <summary>Returns a <see cref="NotMarked"/> in an object slot: the silo cannot serialize the result.</summary>
    Task<object?> MakeUnmarked(int value);

    Task<int> WaitForCancellation(CancellationToken cancellationToken);

    Task<bool> WasCancelled();

    Task Reject(string message, int code);

    Task<string?> ReadContext(string key);

    Task<string> CallThrough(IWireShapesGrain other, string id);

    Task<int> Calls();
}

public sealed class WireShapesGrain : Grain, IWireShapesGrain
{
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, TaskCompletionSource> Waiting = new();

    private int _calls;
    private bool _cancelled;

    public Task<(bool Found, ProductDetails? Details)> TryGetProduct(string id)
    {
        _calls++;
        return Task.FromResult<(bool, ProductDetails?)>(id == "known"
            ? (true, new ProductDetails("Kettle", 39.95m, ["kitchen", "electric"]))
            : (false, null));
    }

    public Task<TodoEvent> EchoEvent(TodoEvent value)
    {
        _calls++;
        return Task.FromResult(value);
    }

    public Task<IReadOnlyList<TodoEvent>> History(List<TodoEvent> events)
    {
        _calls++;
        return Task.FromResult<IReadOnlyList<TodoEvent>>(events.AsReadOnly());
    }

    public Task<Dictionary<string, (int, BigInteger?)>> Map(Dictionary<string, (int, BigInteger?)> value)
    {
        _calls++;
        return Task.FromResult(value);
    }

    public Task<object?> MakeUnmarked(int value) => Task.FromResult<object?>(new NotMarked { Value = value });

    public Task<object?> EchoObject(object? value)
    {
        _calls++;
        return Task.FromResult(value);
    }

    /// <summary>Completes when the grain of <paramref name="key"/> is inside <see cref="WaitForCancellation"/> (the silo runs in this process).</summary>
    public static Task WaitingIn(string key) => Waiting.GetOrAdd(key, _ => new(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    public async Task<int> WaitForCancellation(CancellationToken cancellationToken)
    {
        _calls++;
        Waiting.GetOrAdd(this.GetPrimaryKeyString(), _ => new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return 0;
        }
        catch (OperationCanceledException)
        {
            _cancelled = true;
            throw;
        }
    }

    public Task<bool> WasCancelled() => Task.FromResult(_cancelled);

    public Task Reject(string message, int code) => throw new OrderRejectedException(message, code);

    public Task<string?> ReadContext(string key) => Task.FromResult(RequestContext.Get(key) as string);

    public async Task<string> CallThrough(IWireShapesGrain other, string id) => $"{other.GetGrainId()}:{await other.ReadContext(id)}";

    public Task<int> Calls() => Task.FromResult(_calls);
}
