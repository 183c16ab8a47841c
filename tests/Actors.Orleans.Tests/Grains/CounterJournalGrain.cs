using Orleans.EventSourcing;
using Orleans.EventSourcing.Common;

namespace Actors.Orleans.Tests.Grains;

public interface ICounterJournalGrain : IGrainWithStringKey
{
    Task<CounterView> Add(int amount);

    Task<CounterView> AddMany(int[] amounts);

    Task<bool> AddIfAt(int amount, int version);

    Task AddInBackground(int amount);

    Task<CounterView> Get();

    Task<int[]> History(int from, int to);

    Task RaiseUnserializable();

    Task AddPoisoned();

    Task<int> MostConsecutiveFailures();

    /// <summary>The last connection issue Orleans reported (a failed or refused append), or null; answered while a call waits.</summary>
    [global::Orleans.Concurrency.AlwaysInterleave]
    Task<string?> LastIssue();

    Task RaiseAddedThenUnserializable(int amount);

    Task RaiseConditionalAddedThenUnserializable(int amount);

    Task Clear();

    Task Deactivate();
}

/// <summary>A journaled grain on the log by the attribute alone.</summary>
[WriteAheadLog(CheckpointEveryEvents = 10)]
public sealed class CounterJournalGrain : JournaledGrain<CounterState, CounterEvent>, ICounterJournalGrain
{
    private int _mostConsecutiveFailures;
    private string? _lastIssue;

    public async Task<CounterView> Add(int amount)
    {
        RaiseEvent(new Added { Amount = amount });
        await ConfirmEvents();
        return View();
    }

    public async Task<CounterView> AddMany(int[] amounts)
    {
        RaiseEvents(amounts.Select(a => new Added { Amount = a }));
        await ConfirmEvents();
        return View();
    }

    public Task<bool> AddIfAt(int amount, int version) =>
        version == Version ? RaiseConditionalEvent(new Added { Amount = amount }) : Task.FromResult(false);

    public Task AddInBackground(int amount)
    {
        RaiseEvent(new Added { Amount = amount });
        return Task.CompletedTask;
    }

    public async Task<CounterView> Get()
    {
        await ConfirmEvents();
        return View();
    }

    public async Task<int[]> History(int from, int to) =>
        [.. (await RetrieveConfirmedEvents(from, to)).Cast<Added>().Select(e => e.Amount)];

    public Task<int> MostConsecutiveFailures() => Task.FromResult(_mostConsecutiveFailures);

    public Task<string?> LastIssue() => Task.FromResult(_lastIssue);

    protected override void OnConnectionIssue(ConnectionIssue issue)
    {
        _mostConsecutiveFailures = Math.Max(_mostConsecutiveFailures, issue.NumberOfConsecutiveFailures);
        _lastIssue = issue.ToString();
    }

    public async Task AddPoisoned()
    {
        RaiseEvent(new Poisoned());
        await ConfirmEvents();
    }

    public Task RaiseUnserializable()
    {
        RaiseEvent(new UnserializableEvent());
        return Task.CompletedTask;
    }

    public async Task RaiseAddedThenUnserializable(int amount)
    {
        try
        {
            RaiseEvents<CounterEvent>([new Added { Amount = amount }, new UnserializableEvent(), new Added { Amount = amount }]);
        }
        finally
        {
            await ConfirmEvents(); // whatever the failed call left raised is stored now
        }
    }

    public async Task RaiseConditionalAddedThenUnserializable(int amount)
    {
        try
        {
            await RaiseConditionalEvents<CounterEvent>([new Added { Amount = amount }, new UnserializableEvent()]);
        }
        finally
        {
            await ConfirmEvents();
        }
    }

    public Task Clear() => ClearLogAsync();

    public Task Deactivate()
    {
        DeactivateOnIdle();
        return Task.CompletedTask;
    }

    protected override void TransitionState(CounterState state, CounterEvent @event)
    {
        switch (@event)
        {
            case Added added:
                state.Total += added.Amount;
                state.Count++;
                break;
            default:
                throw new InvalidOperationException($"unknown event {@event.GetType().Name}");
        }
    }

    private CounterView View() => new(State.Total, State.Count, Version);
}
