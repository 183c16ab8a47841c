using Actors.Providers;

namespace Actors.Runtime.Tests.Grains;

public sealed class TallyState
{
    public int Count { get; set; }
}

public interface ITallyGrain : IGrainWithStringKey
{
    Task<int> Increment();

    Task<int> Get();

    Task<int> IncrementWithoutWriting();

    Task Reload();

    Task Clear();

    Task Deactivate();
}

/// <summary>Orleans' Grain&lt;TState&gt;: no attribute, so the default store.</summary>
public class TallyGrain : Grain<TallyState>, ITallyGrain
{
    public async Task<int> Increment()
    {
        State.Count++;
        await WriteStateAsync();
        return State.Count;
    }

    public Task<int> Get() => Task.FromResult(State.Count);

    public Task<int> IncrementWithoutWriting() => Task.FromResult(++State.Count);

    public Task Reload() => ReadStateAsync();

    public Task Clear() => ClearStateAsync();

    public Task Deactivate()
    {
        DeactivateOnIdle();
        return Task.CompletedTask;
    }
}

public interface INamedTallyGrain : ITallyGrain
{
}

[StorageProvider(ProviderName = "tallies")]
public sealed class NamedTallyGrain : TallyGrain, INamedTallyGrain
{
}
