using Orleans.EventSourcing;

namespace Actors.Orleans.Tests.Grains;

[GenerateSerializer]
public sealed class Padded : CounterEvent
{
    [Id(0)]
    public byte[] Pad { get; set; } = [];
}

public interface IReclaimingJournalGrain : IGrainWithStringKey
{
    Task<int> AddPadded(int count, int bytes);

    Task<int> HistoryCount(int from, int to);

    Task<int> AddPaddedBatch(int count, int bytes);

    Task<int> ConfirmedCount();
}

/// <summary>A journaled grain whose class lets the log reclaim checkpointed events.</summary>
[WriteAheadLog(CheckpointEveryEvents = 5, EventHistory = WriteAheadLogHistory.ReclaimAfterCheckpoint)]
public sealed class ReclaimingJournalGrain : JournaledGrain<CounterState, CounterEvent>, IReclaimingJournalGrain
{
    public async Task<int> AddPadded(int count, int bytes)
    {
        for (int i = 0; i < count; i++)
        {
            RaiseEvent(new Padded { Pad = new byte[bytes] });
            await ConfirmEvents();
        }

        return Version;
    }

    public async Task<int> AddPaddedBatch(int count, int bytes)
    {
        RaiseEvents(Enumerable.Range(0, count).Select(_ => new Padded { Pad = new byte[bytes] }));
        await ConfirmEvents();
        return Version;
    }

    public Task<int> ConfirmedCount() => Task.FromResult(State.Count);

    public async Task<int> HistoryCount(int from, int to) => (await RetrieveConfirmedEvents(from, to)).Count;

    protected override void TransitionState(CounterState state, CounterEvent @event)
    {
        state.Count++;
    }
}
