using Actors.Orleans;
using Orleans.EventSourcing;
using Orleans.Runtime;

namespace Actors.Wal.Tool.Tests.Orleans;

public interface ITallyGrain : IGrainWithStringKey
{
    Task<int> Add(int amount);
}

[GenerateSerializer]
public sealed record TallyAdded([property: Id(0)] int Amount);

[GenerateSerializer]
public sealed class TallyState
{
    [Id(0)]
    public int Total { get; set; }

    public void Apply(TallyAdded added) => Total += added.Amount;
}

/// <summary>A journaled grain on the log without checkpoints: its stream holds every event.</summary>
[WriteAheadLog(CheckpointEveryEvents = 0)]
public sealed class TallyGrain : JournaledGrain<TallyState, TallyAdded>, ITallyGrain
{
    public async Task<int> Add(int amount)
    {
        RaiseEvent(new TallyAdded(amount));
        await ConfirmEvents();
        return State.Total;
    }
}

public interface ISnapshotTallyGrain : ITallyGrain;

/// <summary>A journaled grain that checkpoints after every event: its stream's base is a snapshot.</summary>
[WriteAheadLog(CheckpointEveryEvents = 1)]
public sealed class SnapshotTallyGrain : JournaledGrain<TallyState, TallyAdded>, ISnapshotTallyGrain
{
    public async Task<int> Add(int amount)
    {
        RaiseEvent(new TallyAdded(amount));
        await ConfirmEvents();
        return State.Total;
    }
}

[GenerateSerializer]
public sealed class ProfileState
{
    [Id(0)]
    public string Name { get; set; } = "";
}

public interface IProfileGrain : IGrainWithStringKey
{
    Task Rename(string name);
}

/// <summary>A grain with one named state in the silo's default grain storage (the log, System.Text.Json codec in these tests).</summary>
public sealed class ProfileGrain([PersistentState("profile")] IPersistentState<ProfileState> profile) : Grain, IProfileGrain
{
    public async Task Rename(string name)
    {
        profile.State.Name = name;
        await profile.WriteStateAsync();
    }
}
