namespace Actors.Orleans.Tests.Grains;

public interface IVisitGrain : IGrainWithStringKey
{
    Task<int> Visit();

    Task<int> Visits();

    Task Forget();
}

/// <summary>Grain&lt;TState&gt; on the log by the attribute alone.</summary>
[WriteAheadLog]
public sealed class AttributedVisitGrain : Grain<ProfileState>, IVisitGrain
{
    public async Task<int> Visit()
    {
        State.Visits++;
        await WriteStateAsync();
        return State.Visits;
    }

    public Task<int> Visits() => Task.FromResult(State.Visits);

    public Task Forget() => ClearStateAsync();
}

/// <summary>A grain written for Orleans's own providers: no attribute, the silo's default storage decides.</summary>
public sealed class PlainVisitGrain : Grain<ProfileState>, IVisitGrain
{
    public async Task<int> Visit()
    {
        State.Visits++;
        await WriteStateAsync();
        return State.Visits;
    }

    public Task<int> Visits() => Task.FromResult(State.Visits);

    public Task Forget() => ClearStateAsync();
}

public interface ITwoStatesGrain : IGrainWithStringKey
{
    Task Set(string name, int visits);

    Task<string> Describe();
}

/// <summary>IPersistentState&lt;T&gt; naming no storage: the attribute puts both states on the log.</summary>
[WriteAheadLog]
public sealed class TwoStatesGrain(
    [PersistentState("profile")] IPersistentState<ProfileState> profile,
    [PersistentState("counter")] IPersistentState<CounterState> counter) : Grain, ITwoStatesGrain
{
    public async Task Set(string name, int visits)
    {
        profile.State.Name = name;
        counter.State.Total = visits;
        await profile.WriteStateAsync();
        await counter.WriteStateAsync();
    }

    public Task<string> Describe() => Task.FromResult($"{profile.State.Name}:{counter.State.Total}:{profile.RecordExists}:{counter.Etag}");
}
