using Orleans.EventSourcing;
using Orleans.Runtime;

namespace Actors.Orleans.Clustering.Tests.Grains;

[GenerateSerializer]
public sealed class LedgerJournal
{
    [Id(0)]
    public List<int> Entries { get; set; } = [];
}

[GenerateSerializer]
public sealed class LedgerEntryAdded
{
    [Id(0)]
    public int Entry { get; set; }
}

/// <summary>A [WriteAheadLog] JournaledGrain: each entry is an event of its journal.</summary>
[WriteAheadLog]
public sealed class JournalLedgerGrain(ILocalSiloDetails silo) : JournaledGrain<LedgerJournal, LedgerEntryAdded>, ILedgerGrain
{
    public async Task<string> Add(int entry)
    {
        RaiseEvent(new LedgerEntryAdded { Entry = entry });
        await ConfirmEvents();
        return silo.SiloAddress.ToParsableString();
    }

    public Task<List<int>> Entries() => Task.FromResult(State.Entries);

    protected override void TransitionState(LedgerJournal state, LedgerEntryAdded @event) => state.Entries.Add(@event.Entry);
}
