namespace Actors.Runtime.Tests.Grains;

/// <summary>A grain interface the code generator refuses: a property cannot be forwarded by a grain reference.</summary>
public interface IPropertyGrain : IGrainWithStringKey
{
    string Name { get; }

    Task<int> Get();
}

public sealed class PropertyGrain : Grain, IPropertyGrain
{
    public string Name => "property";

    public Task<int> Get() => Task.FromResult(1);
}

/// <summary>A generic grain interface (generated: the reference class is generic too).</summary>
public interface IBoxGrain<T> : IGrainWithStringKey
{
    Task<T> Get();
}

public sealed class IntBoxGrain : Grain, IBoxGrain<int>
{
    public Task<int> Get() => Task.FromResult(42);
}

/// <summary>An observer interface the code generator refuses (a property cannot be forwarded).</summary>
public interface IPropertyObserver : IGrainObserver
{
    string Name { get; }

    void Notify();
}

public sealed class PropertyObserver : IPropertyObserver
{
    public string Name => "watcher";

    public void Notify()
    {
    }
}

/// <summary>A generated grain interface that takes the refused observer interface.</summary>
public interface IWatchGrain : IGrainWithStringKey
{
    Task Watch(IPropertyObserver observer);
}

public sealed class WatchGrain : Grain, IWatchGrain
{
    public Task Watch(IPropertyObserver observer) => Task.CompletedTask;
}
