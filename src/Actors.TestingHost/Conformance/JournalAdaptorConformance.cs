using Actors.Journaling;

namespace Actors.TestingHost.Conformance;

/// <summary>
/// The contract every journal store (<see cref="IJournalAdaptorFactory"/>) must keep for
/// <see cref="JournaledGrain{TState, TEvent}"/>: versions start at 1, appends are atomic and checked against the
/// expected version (a conflict throws InconsistentStateException and stores nothing), events survive into the next activation's adaptor,
/// and checkpoint plus later events reproduce the state. Framework-neutral: a violation throws
/// <see cref="ConformanceException"/>. Each scenario uses a fresh grain id.
/// </summary>
/// <typeparam name="TState">The journaled state of the scenarios.</typeparam>
/// <typeparam name="TEvent">The event type of the scenarios.</typeparam>
/// <param name="factory">The store under test.</param>
/// <param name="createContext">Builds the adaptor context for a grain id (grain class, attribute, services of the silo under test).</param>
/// <param name="model">How to build events and read states (<see cref="JournalConformanceModels.Default"/> unless the store needs its own types).</param>
public sealed class JournalAdaptorConformance<TState, TEvent>(IJournalAdaptorFactory factory, Func<GrainId, JournalAdaptorContext> createContext, JournalConformanceModel<TState, TEvent> model)
    where TState : class, new()
    where TEvent : class
{
    private static GrainId NewId() => new("conformancejournal", Guid.NewGuid().ToString("N"));

    /// <summary>A new journal has no checkpoint and no events.</summary>
    public async Task NewJournal_NoCheckpointNoEvents()
    {
        IJournalAdaptor<TState, TEvent> adaptor = Create(NewId());
        Check(await adaptor.ReadCheckpointAsync(CancellationToken.None) is null, "a new journal must have no checkpoint");
        Check((await ReadAll(adaptor, 1, long.MaxValue)).Count == 0, "a new journal must have no events");
    }

    /// <summary>Two prepared batches appended together read back in the next adaptor as versions 1..3, also by range.</summary>
    public async Task Append_ReadByNextActivation_EventsInOrderWithVersions()
    {
        GrainId id = NewId();
        IJournalAdaptor<TState, TEvent> first = Create(id);
        PreparedEvents a = first.PrepareEvents([model.CreateEvent(1), model.CreateEvent(2)]);
        PreparedEvents b = first.PrepareEvents([model.CreateEvent(3)]);
        Check(a.Count == 2 && b.Count == 1, "PreparedEvents.Count must equal the number of events prepared");
        await first.AppendAsync(0, [a, b], CancellationToken.None);

        IJournalAdaptor<TState, TEvent> next = Create(id);
        List<JournalEntry<TEvent>> all = await ReadAll(next, 1, long.MaxValue);
        Check(all.Select(e => (e.Version, model.AmountOf(e.Event))).SequenceEqual([(1L, 1), (2L, 2), (3L, 3)]),
            $"events must read back as versions 1..3 with amounts 1..3; got [{string.Join(", ", all)}]");
        List<JournalEntry<TEvent>> middle = await ReadAll(next, 2, 2);
        Check(middle.Count == 1 && middle[0].Version == 2 && model.AmountOf(middle[0].Event) == 2, "ReadEventsAsync(2, 2) must return exactly version 2");
    }

    /// <summary>An append with the wrong expected version fails (not with <see cref="EventRejectedException"/>) and stores nothing.</summary>
    public async Task Append_WrongExpectedVersion_FailsAndStoresNothing()
    {
        GrainId id = NewId();
        IJournalAdaptor<TState, TEvent> adaptor = Create(id);
        await adaptor.AppendAsync(0, [adaptor.PrepareEvents([model.CreateEvent(1)])], CancellationToken.None);
        Exception? failure = null;
        try
        {
            await adaptor.AppendAsync(0, [adaptor.PrepareEvents([model.CreateEvent(100)])], CancellationToken.None);
        }
        catch (Exception ex)
        {
            failure = ex;
        }

        Check(failure is not null, "an append expecting version 0 on a journal at version 1 must fail");
        Check(failure is Storage.InconsistentStateException, $"a version conflict throws InconsistentStateException (nothing stored; the grain catches up and retries), not {failure?.GetType().Name}");
        List<JournalEntry<TEvent>> all = await ReadAll(Create(id), 1, long.MaxValue);
        Check(all.Count == 1 && all[0].Version == 1 && model.AmountOf(all[0].Event) == 1, "a conflicting append must store nothing");
    }

    /// <summary>After confirmations and a deactivation, checkpoint plus later events reproduce the state in the next activation.</summary>
    public async Task CheckpointPlusLaterEvents_ReproduceState()
    {
        GrainId id = NewId();
        IJournalAdaptor<TState, TEvent> adaptor = Create(id);
        TState state = await ConfirmFiveAsync(adaptor);

        await adaptor.OnDeactivateAsync(state, 5, CancellationToken.None);

        (long loaded, int total) = await RecoverAsync(Create(id));
        Check(loaded == 5 && total == 15, $"checkpoint plus later events must give version 5 and total 15; got version {loaded}, total {total}");
    }

    /// <summary>
    /// Erasing events 1..3 of a journal at version 5 checkpoints the state first: the next activation recovers version 5
    /// and total 15 from the checkpoint (plus any events after it), reading erased versions throws
    /// <see cref="EventHistoryUnavailableException"/>, and appends continue at version 6.
    /// </summary>
    public async Task EraseHistory_NextActivationRecoversFromCheckpointAndErasedEventsAreUnreadable()
    {
        GrainId id = NewId();
        IJournalAdaptor<TState, TEvent> adaptor = Create(id);
        TState state = await ConfirmFiveAsync(adaptor);

        await adaptor.EraseHistoryAsync(state, 5, 3, CancellationToken.None);
        Check(model.TotalOf(state) == 15, "the erase must not change the state it checkpoints");

        IJournalAdaptor<TState, TEvent> next = Create(id);
        (long version, int total) = await RecoverAsync(next);
        Check(version == 5 && total == 15, $"after erasing 1..3 the next activation must recover version 5 and total 15 from the checkpoint; got version {version}, total {total}");
        foreach ((long from, long to) in new[] { (1L, 3L), (1L, 5L), (3L, 3L) })
        {
            Exception? failure = null;
            try
            {
                await ReadAll(next, from, to);
            }
            catch (Exception ex)
            {
                failure = ex;
            }

            Check(failure is EventHistoryUnavailableException, $"reading erased versions {from}..{to} must throw EventHistoryUnavailableException, not {failure?.GetType().Name ?? "nothing"}");
        }

        await next.AppendAsync(5, [next.PrepareEvents([model.CreateEvent(6)])], CancellationToken.None);
        (version, total) = await RecoverAsync(Create(id));
        Check(version == 6 && total == 21, $"an append after the erase must continue at version 6 (total 21); got version {version}, total {total}");
    }

    /// <summary>Runs every scenario.</summary>
    public async Task RunAllAsync()
    {
        await NewJournal_NoCheckpointNoEvents();
        await Append_ReadByNextActivation_EventsInOrderWithVersions();
        await Append_WrongExpectedVersion_FailsAndStoresNothing();
        await CheckpointPlusLaterEvents_ReproduceState();
        await EraseHistory_NextActivationRecoversFromCheckpointAndErasedEventsAreUnreadable();
    }

    private IJournalAdaptor<TState, TEvent> Create(GrainId id)
        => factory.Create<TState, TEvent>(createContext(id));

    /// <summary>Appends and confirms events with amounts 1..5 one at a time (as a grain does); returns the confirmed state.</summary>
    private async Task<TState> ConfirmFiveAsync(IJournalAdaptor<TState, TEvent> adaptor)
    {
        var state = new TState();
        for (int version = 1; version <= 5; version++)
        {
            TEvent @event = model.CreateEvent(version);
            await adaptor.AppendAsync(version - 1, [adaptor.PrepareEvents([@event])], CancellationToken.None);
            model.Apply(state, @event);
            await adaptor.OnConfirmedAsync(state, version, CancellationToken.None);
        }

        return state;
    }

    /// <summary>What an activation does: the latest checkpoint, then the events after it in order; returns the version and the total.</summary>
    private async Task<(long Version, int Total)> RecoverAsync(IJournalAdaptor<TState, TEvent> adaptor)
    {
        JournalCheckpoint<TState>? checkpoint = await adaptor.ReadCheckpointAsync(CancellationToken.None);
        long loaded = checkpoint?.Version ?? 0;
        int total = checkpoint is null ? 0 : model.TotalOf(checkpoint.State);
        foreach (JournalEntry<TEvent> entry in await ReadAll(adaptor, loaded + 1, long.MaxValue))
        {
            Check(entry.Version == loaded + 1, $"events after the checkpoint must continue at version {loaded + 1}; got {entry.Version}");
            total += model.AmountOf(entry.Event);
            loaded = entry.Version;
        }

        return (loaded, total);
    }

    private static async Task<List<JournalEntry<TEvent>>> ReadAll(IJournalAdaptor<TState, TEvent> adaptor, long from, long to)
    {
        var entries = new List<JournalEntry<TEvent>>();
        await foreach (JournalEntry<TEvent> entry in adaptor.ReadEventsAsync(from, to, CancellationToken.None))
        {
            entries.Add(entry);
        }

        return entries;
    }

    private static void Check(bool condition, string rule)
    {
        if (!condition)
        {
            throw new ConformanceException(rule);
        }
    }
}
