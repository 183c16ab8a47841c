namespace Actors.Runtime.Tests.Grains;

public interface ICounterGrain : IGrainWithStringKey
{
    Task<int> Increment();

    ValueTask<int> Get();

    Task Reset();

    ValueTask Add(int amount);

    Task<string> Key();
}

public sealed class CounterGrain : Grain, ICounterGrain
{
    private int _value;

    public Task<int> Increment() => Task.FromResult(++_value);

    public ValueTask<int> Get() => new(_value);

    public Task Reset()
    {
        _value = 0;
        return Task.CompletedTask;
    }

    public async ValueTask Add(int amount)
    {
        await Task.Yield();
        _value += amount;
    }

    public Task<string> Key() => Task.FromResult(GetPrimaryKeyString());
}
