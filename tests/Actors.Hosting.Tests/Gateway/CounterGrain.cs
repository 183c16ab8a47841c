namespace Actors.Hosting.Tests.Gateway;

public interface ICounterGrain : IGrainWithStringKey
{
    Task<int> Add(int amount);

    Task<CounterSnapshot> Snapshot();

    Task Fail(string message);

    Task<int> AddVia(string otherKey, int amount);
}

[GenerateSerializer]
public sealed record CounterSnapshot(string Key, int Value, IReadOnlyList<int> History);

public sealed class CounterGrain : Grain, ICounterGrain
{
    private readonly List<int> _history = [];
    private int _value;

    public Task<int> Add(int amount)
    {
        _value += amount;
        _history.Add(amount);
        return Task.FromResult(_value);
    }

    public Task<CounterSnapshot> Snapshot() => Task.FromResult(new CounterSnapshot(GetPrimaryKeyString(), _value, [.. _history]));

    public Task Fail(string message) => throw new ArgumentOutOfRangeException(nameof(message), message);

    public Task<int> AddVia(string otherKey, int amount) => GrainFactory.GetGrain<ICounterGrain>(otherKey).Add(amount);
}
