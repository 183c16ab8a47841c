using Actors.Cluster;
using Actors.Runtime;

namespace Actors.Cluster.Tests.Grains;

/// <summary>A non-reentrant grain for call-chain reentrancy across silos: A.Start(B) -> B.CallBack(A) -> A.Echo.</summary>
public interface IHopGrain : IGrainWithStringKey
{
    Task<string> Where();

    Task<string> Start(string peer, bool allowReentrancy);

    Task<string> CallBack(string origin);

    Task<string> Echo(string text);

    Task<object?> EchoObject(object? value);

    /// <summary>Returns a value without a codec in an untyped result.</summary>
    Task<object?> MakeUnmarked();
}

/// <summary>No [GenerateSerializer]: no codec.</summary>
public sealed class UnmarkedHopValue
{
    public int Value { get; set; }
}

public sealed class HopGrain : Grain, IHopGrain
{
    public Task<string> Where() => Task.FromResult(ServiceProvider.GetRequiredService<IClusterView>().SiloName);

    public async Task<string> Start(string peer, bool allowReentrancy)
    {
        if (!allowReentrancy)
        {
            return await GrainFactory.GetGrain<IHopGrain>(peer).CallBack(this.GetPrimaryKeyString());
        }

        using ReentrancySection section = RequestContext.AllowCallChainReentrancy();
        return await GrainFactory.GetGrain<IHopGrain>(peer).CallBack(this.GetPrimaryKeyString());
    }

    public Task<string> CallBack(string origin) => GrainFactory.GetGrain<IHopGrain>(origin).Echo($"via {this.GetPrimaryKeyString()}");

    public Task<string> Echo(string text) => Task.FromResult($"{this.GetPrimaryKeyString()} echoes {text}");

    public Task<object?> EchoObject(object? value) => Task.FromResult(value);

    public Task<object?> MakeUnmarked() => Task.FromResult<object?>(new UnmarkedHopValue { Value = 1 });
}

/// <summary>A generic grain for calls forwarded between silos: each closed type is its own grain type.</summary>
public interface IBagGrain<T> : IGrainWithStringKey
{
    Task<string> Where();

    Task Add(T item);

    Task<T[]> Items();
}

public sealed class BagGrain<T> : Grain, IBagGrain<T>
{
    private readonly List<T> _items = [];

    public Task<string> Where() => Task.FromResult(ServiceProvider.GetRequiredService<IClusterView>().SiloName);

    public Task Add(T item)
    {
        _items.Add(item);
        return Task.CompletedTask;
    }

    public Task<T[]> Items() => Task.FromResult(_items.ToArray());
}
