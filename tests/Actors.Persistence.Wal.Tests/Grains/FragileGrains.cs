using Actors.Journaling;
using Actors.Persistence.Wal;
using Actors.Storage;

namespace Actors.Persistence.Wal.Tests.Grains;

/// <summary>An event whose property getter is not written yet: encoding it throws <see cref="NotImplementedException"/>.</summary>
[EventType("ledger-unfinished")]
public sealed record LedgerUnfinished : LedgerEvent
{
    public decimal Amount => throw new NotImplementedException("LedgerUnfinished.Amount is not written yet");
}

/// <summary>A state whose <see cref="Secret"/> getter throws while <see cref="Broken"/> is set.</summary>
public sealed class FragileState
{
    public int Writes { get; set; }

    [System.Text.Json.Serialization.JsonIgnore]
    public bool Broken { get; set; }

    public string Secret
    {
        get => Broken ? throw new NotImplementedException("FragileState.Secret is not written yet") : "";
        set => _ = value;
    }
}

[GenerateSerializer, Alias("tests.wal.fragile-snapshot")]
public sealed record FragileSnapshot(int Writes, string? ETag, Guid ActivationId, long Version);

public interface IFragileGrain : IGrainWithStringKey
{
    Task<FragileSnapshot> Write();

    Task<FragileSnapshot> WriteBroken();

    Task<FragileSnapshot> RaiseUnfinished();

    Task<FragileSnapshot> Credit(decimal amount);

    Task<FragileSnapshot> Get();
}

/// <summary>A journaled grain (default store) with a persistent state in a second store, both fed values that cannot be encoded.</summary>
public sealed class FragileGrain([PersistentState("fragile", "states")] IPersistentState<FragileState> state)
    : JournaledGrain<LedgerState, LedgerEvent>, IFragileGrain
{
    private readonly Guid _activationId = Guid.NewGuid();

    public async Task<FragileSnapshot> Write()
    {
        state.State.Writes++;
        await state.WriteStateAsync();
        return Snapshot();
    }

    public async Task<FragileSnapshot> WriteBroken()
    {
        state.State.Broken = true;
        state.State.Writes++;
        try
        {
            await state.WriteStateAsync();
        }
        finally
        {
            state.State.Broken = false;
            state.State.Writes--;
        }

        return Snapshot();
    }

    public async Task<FragileSnapshot> RaiseUnfinished()
    {
        RaiseEvent(new LedgerUnfinished());
        await ConfirmEvents();
        return Snapshot();
    }

    public async Task<FragileSnapshot> Credit(decimal amount)
    {
        RaiseEvent(new LedgerCredited(amount));
        await ConfirmEvents();
        return Snapshot();
    }

    public Task<FragileSnapshot> Get() => Task.FromResult(Snapshot());

    private FragileSnapshot Snapshot() => new(state.State.Writes, state.Etag, _activationId, Version);
}
