using Orleans.EventSourcing;

namespace Actors.Orleans.Tests.Grains;

public interface ICallbackRaisingJournalGrain : IGrainWithStringKey
{
    /// <summary>Raises 1, 2 and 3 in one range; the first tentative change raises 100 from the callback.</summary>
    Task<CounterView> RaiseRangeWithCallbackEvent();

    Task<CounterView> Get();

    Task Deactivate();
}

/// <summary>A journaled grain that raises an event from <c>OnTentativeStateChanged</c> while a range is being submitted.</summary>
[WriteAheadLog]
public sealed class CallbackRaisingJournalGrain : JournaledGrain<CounterState, CounterEvent>, ICallbackRaisingJournalGrain
{
    private bool _raiseFromCallback;

    public async Task<CounterView> RaiseRangeWithCallbackEvent()
    {
        _raiseFromCallback = true;
        RaiseEvents<CounterEvent>([new Added { Amount = 1 }, new Added { Amount = 2 }, new Added { Amount = 3 }]);
        await ConfirmEvents();
        return new(State.Total, State.Count, Version);
    }

    public async Task<CounterView> Get()
    {
        await RefreshNow();
        return new(State.Total, State.Count, Version);
    }

    public Task Deactivate()
    {
        DeactivateOnIdle();
        return Task.CompletedTask;
    }

    protected override void OnTentativeStateChanged()
    {
        if (_raiseFromCallback)
        {
            _raiseFromCallback = false;
            RaiseEvent(new Added { Amount = 100 });
        }
    }

    protected override void TransitionState(CounterState state, CounterEvent @event)
    {
        if (@event is Added added)
        {
            state.Total += added.Amount;
            state.Count++;
        }
    }
}
