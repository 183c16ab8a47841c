using Actors.Runtime;

namespace Actors.Hosting.Tests.Generics;

/// <summary>A generic grain interface, as Orleans allows: each closed type is a grain type of its own.</summary>
public interface ICellGrain<T> : IGrainWithStringKey
{
    Task Set(T value);

    Task<T?> Get();

    /// <summary>The closed class serving the call and its grain id.</summary>
    Task<string> Describe();

    /// <summary>A generic method on a generic interface.</summary>
    Task<(T? Value, TOther Other)> With<TOther>(TOther other);
}

/// <summary>The generic grain class implementing <see cref="ICellGrain{T}"/>, registered open.</summary>
public sealed class CellGrain<T> : Grain, ICellGrain<T>
{
    private T? _value;

    public Task Set(T value)
    {
        _value = value;
        return Task.CompletedTask;
    }

    public Task<T?> Get() => Task.FromResult(_value);

    public Task<string> Describe() => Task.FromResult($"{GetType().Name}[{typeof(T).Name}] {this.GetGrainId()}");

    public Task<(T? Value, TOther Other)> With<TOther>(TOther other) => Task.FromResult((_value, other));
}

/// <summary>Two type parameters, a constraint, and a constructed result type.</summary>
public interface IIndexGrain<TKey, TValue> : IGrainWithIntegerKey
    where TKey : notnull
{
    Task Put(TKey key, TValue value);

    Task<Dictionary<TKey, TValue>> All();
}

/// <summary>Implements <see cref="IIndexGrain{TKey,TValue}"/> with its type parameters swapped, so the registry must unify them.</summary>
public sealed class SwappedIndexGrain<TValue, TKey> : Grain, IIndexGrain<TKey, TValue>
    where TKey : notnull
{
    private readonly Dictionary<TKey, TValue> _entries = [];

    public Task Put(TKey key, TValue value)
    {
        _entries[key] = value;
        return Task.CompletedTask;
    }

    public Task<Dictionary<TKey, TValue>> All() => Task.FromResult(new Dictionary<TKey, TValue>(_entries));
}

/// <summary>A generic interface extending another generic grain interface.</summary>
public interface IReaderGrain<T> : IGrainWithStringKey
{
    Task<T[]> Read();
}

public interface ILogGrain<T> : IReaderGrain<T>
{
    Task Append(T item);
}

public sealed class LogGrain<T> : Grain, ILogGrain<T>
{
    private readonly List<T> _items = [];

    public Task Append(T item)
    {
        _items.Add(item);
        return Task.CompletedTask;
    }

    public Task<T[]> Read() => Task.FromResult(_items.ToArray());
}

/// <summary>A non-generic class implementing a closed generic interface.</summary>
public interface IBoxGrain<T> : IGrainWithStringKey
{
    Task<T> Get();
}

public sealed class IntBoxGrain : Grain, IBoxGrain<int>
{
    public Task<int> Get() => Task.FromResult(42);
}
