using Actors.Providers;

namespace Actors.Persistence.Wal.Tests.Grains;

public sealed class Tally
{
    public int Count { get; set; }

    public List<string> Labels { get; set; } = [];
}

[GenerateSerializer, Alias("tests.wal.tally-snapshot")]
public sealed record TallySnapshot(int Count, string[] Labels);

public interface ITallyGrain : IGrainWithStringKey
{
    Task<TallySnapshot> Add(string label);

    Task<TallySnapshot> Clear();

    Task<TallySnapshot> Get();
}

/// <summary>Orleans' Grain&lt;TState&gt; with no attribute: its state lives in the default store.</summary>
public class TallyGrain : Grain<Tally>, ITallyGrain
{
    public async Task<TallySnapshot> Add(string label)
    {
        State.Count++;
        State.Labels.Add(label);
        await WriteStateAsync();
        return Snapshot();
    }

    public async Task<TallySnapshot> Clear()
    {
        await ClearStateAsync();
        return Snapshot();
    }

    public Task<TallySnapshot> Get() => Task.FromResult(Snapshot());

    private TallySnapshot Snapshot() => new(State.Count, [.. State.Labels]);
}

public interface IAuditTallyGrain : ITallyGrain
{
}

[StorageProvider(ProviderName = "audit")]
public sealed class AuditTallyGrain : TallyGrain, IAuditTallyGrain
{
}
