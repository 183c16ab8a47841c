using Orleans.Runtime;

namespace Actors.Orleans.Clustering.Tests.Grains;

[GenerateSerializer]
public sealed class LedgerState
{
    [Id(0)]
    public List<int> Entries { get; set; } = [];
}

public interface ILedgerGrain : IGrainWithIntegerKey
{
    /// <summary>Appends <paramref name="entry"/> durably; returns the silo that stored it.</summary>
    Task<string> Add(int entry);

    Task<List<int>> Entries();
}

/// <summary>A [WriteAheadLog] grain with an <see cref="IPersistentState{TState}"/>: placed on its partition's leader.</summary>
[WriteAheadLog]
public sealed class LedgerGrain([PersistentState("ledger")] IPersistentState<LedgerState> ledger, ILocalSiloDetails silo) : Grain, ILedgerGrain
{
    public async Task<string> Add(int entry)
    {
        ledger.State.Entries.Add(entry);
        await ledger.WriteStateAsync();
        return silo.SiloAddress.ToParsableString();
    }

    public Task<List<int>> Entries() => Task.FromResult(ledger.State.Entries);
}

/// <summary>The same grain naming no placement: replication makes its storage's partition its placement too.</summary>
public sealed class PlainLedgerGrain([PersistentState("ledger")] IPersistentState<LedgerState> ledger, ILocalSiloDetails silo) : Grain, ILedgerGrain
{
    public async Task<string> Add(int entry)
    {
        ledger.State.Entries.Add(entry);
        await ledger.WriteStateAsync();
        return silo.SiloAddress.ToParsableString();
    }

    public Task<List<int>> Entries() => Task.FromResult(ledger.State.Entries);
}
