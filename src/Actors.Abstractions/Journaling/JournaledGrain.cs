using Actors.Providers;
using Actors.Runtime;
using Actors.Storage;

namespace Actors.Journaling;

/// <summary>
/// An event-sourced grain in the manner of Orleans' <c>JournaledGrain</c>: the grain raises events, the journal stores
/// them, and the state is the fold of the events through <see cref="TransitionState"/>.
/// </summary>
/// <remarks>
/// <para><b>Store.</b> The journal store is the class's <see cref="LogConsistencyProviderAttribute"/>, else its
/// <see cref="StorageProviderAttribute"/> (or a provider attribute's store name, such as
/// <c>[WriteAheadLog(StoreName = ...)]</c>), else the store named <see cref="StorageNames.Default"/>, as Orleans uses its
/// default provider. When that store is not configured the grain fails to activate with a
/// <see cref="GrainStoreNotConfiguredException"/> naming the class and how to configure one: a journal never falls
/// back to volatile memory. State is loaded (latest checkpoint, then the events after it) before
/// <see cref="Grain.OnActivateAsync"/>.</para>
/// <para><b>Raising.</b> <see cref="RaiseEvent{TRaised}"/> encodes the event first (an encoding failure is a
/// <em>rejection</em>: the caller gets <see cref="EventRejectedException"/> and nothing changes), applies it to
/// <see cref="TentativeState"/> and queues it. Raised events are confirmed in the background soon after the raising
/// turn, as in Orleans: each cycle appends every queued batch (each batch atomically) and, once durable, applies them to
/// <see cref="State"/>, advances <see cref="Version"/> and calls <see cref="OnStateChanged"/>. <see cref="ConfirmEvents"/>
/// waits until everything raised so far is durable. Graceful deactivation waits for pending confirmation too (and
/// logs its failure); a killed silo loses whatever was not written yet.</para>
/// <para><b>Failures.</b> A batch the store rejects is dropped (nothing stored, the grain continues) and the next
/// <see cref="ConfirmEvents"/> throws the rejection. A failed append (I/O error: outcome unknown) makes further journal
/// use throw and deactivates the activation once its running requests end; the next activation replays what was
/// stored. A journal that moved on without this activation (another writer) is caught up with and the unconditional
/// batches are appended after it; conditional ones report false.</para>
/// <para><b>Applying.</b> Typed, never <c>dynamic</c>: by default the state's public <c>Apply</c> overload that best
/// fits the event's runtime type (found by convention, one compiled delegate per event type), or
/// <see cref="IApply{TEvent}"/>; or override <see cref="TransitionState"/>. It must be deterministic: it runs on the
/// tentative state, again on the confirmed state, and on replay. An event the tentative state cannot apply is refused
/// at raise time. The tentative state starts as a copy of the confirmed state made with the silo's serializer, so
/// <typeparamref name="TState"/> must round-trip through it.</para>
/// </remarks>
/// <typeparam name="TState">The state.</typeparam>
/// <typeparam name="TEvent">The event base type.</typeparam>
public abstract class JournaledGrain<TState, TEvent> : Grain, IJournalHost<TState, TEvent>
    where TState : class, new()
    where TEvent : class
{
    private JournalView<TState, TEvent>? _journal;

    /// <summary>Creates the grain; the runtime loads its journal before <see cref="Grain.OnActivateAsync"/>.</summary>
    protected JournaledGrain()
    {
    }

    /// <summary>The confirmed state: it includes every event up to <see cref="Version"/>, all durable.</summary>
    protected TState State => Journal.Confirmed;

    /// <summary>How many events <see cref="State"/> includes (the confirmed version).</summary>
    /// <exception cref="OverflowException">The journal holds more than <see cref="int.MaxValue"/> events.</exception>
    protected int Version => checked((int)Journal.Version);

    /// <summary>The confirmed state plus the raised events not yet confirmed.</summary>
    protected TState TentativeState => Journal.Tentative;

    /// <summary>The raised events not yet confirmed, oldest first.</summary>
    public IEnumerable<TEvent> UnconfirmedEvents => Journal.Unconfirmed;

    private JournalView<TState, TEvent> Journal => _journal
        ?? throw new InvalidOperationException($"The journal of grain '{GetType().FullName}' is used before the runtime bound the grain to an activation.");

    /// <summary>Raises one event (see <see cref="RaiseEvents{TRaised}"/>).</summary>
    /// <exception cref="EventRejectedException">The store cannot encode or accept the event; nothing changed.</exception>
    protected virtual void RaiseEvent<TRaised>(TRaised @event)
        where TRaised : TEvent
    {
        ArgumentNullException.ThrowIfNull(@event);
        Journal.Raise([@event], conditional: false);
    }

    /// <summary>
    /// Raises events as one atomic batch: encodes them (a rejection leaves everything unchanged), applies them to
    /// <see cref="TentativeState"/> and queues them for confirmation, which starts soon after this turn.
    /// </summary>
    /// <exception cref="EventRejectedException">The store cannot encode or accept the events; nothing changed.</exception>
    /// <exception cref="InvalidOperationException">The journal failed earlier in this activation.</exception>
    protected virtual void RaiseEvents<TRaised>(IEnumerable<TRaised> events)
        where TRaised : TEvent
    {
        ArgumentNullException.ThrowIfNull(events);
        Journal.Raise([.. events.Cast<TEvent>()], conditional: false);
    }

    /// <summary>Raises one event conditionally (see <see cref="RaiseConditionalEvents{TRaised}"/>).</summary>
    protected virtual Task<bool> RaiseConditionalEvent<TRaised>(TRaised @event)
        where TRaised : TEvent
    {
        ArgumentNullException.ThrowIfNull(@event);
        return RaiseConditionalEvents([@event]);
    }

    /// <summary>
    /// Raises events as one atomic batch that is stored only if nothing else is stored before it: the journal must
    /// still be at the tentative version of this raise when the batch is written.
    /// </summary>
    /// <returns>True once the batch is durable; false if the journal moved on first (another writer; the batch was dropped and the state caught up).</returns>
    /// <exception cref="EventRejectedException">The store cannot encode or accept the events; nothing changed.</exception>
    protected virtual Task<bool> RaiseConditionalEvents<TRaised>(IEnumerable<TRaised> events)
        where TRaised : TEvent
    {
        ArgumentNullException.ThrowIfNull(events);
        PendingBatch<TEvent>? batch = Journal.Raise([.. events.Cast<TEvent>()], conditional: true);
        return batch is null ? Task.FromResult(true) : Journal.AwaitConditionalAsync(batch);
    }

    /// <summary>Completes when every event raised so far is durable and applied to <see cref="State"/>.</summary>
    /// <exception cref="EventRejectedException">The store refused some of the events raised so far; they were dropped (reported once).</exception>
    /// <exception cref="InvalidOperationException">The journal failed earlier in this activation.</exception>
    protected Task ConfirmEvents() => Journal.ConfirmAsync();

    /// <summary>Confirms the raised events, then brings <see cref="State"/> up to date with what the store holds (events another writer stored).</summary>
    protected Task RefreshNow() => Journal.RefreshAsync();

    /// <summary>
    /// The confirmed events that moved the state from version <paramref name="fromVersion"/> to
    /// <paramref name="toVersion"/> (Orleans' convention: <c>RetrieveConfirmedEvents(0, Version)</c> returns all).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Not 0 &lt;= from &lt;= to &lt;= <see cref="Version"/>.</exception>
    /// <exception cref="EventHistoryUnavailableException">The store no longer holds some of them (its history policy reclaims checkpointed events); a <see cref="NotSupportedException"/>, as in Orleans.</exception>
    protected Task<IReadOnlyList<TEvent>> RetrieveConfirmedEvents(int fromVersion, int toVersion) => Journal.RetrieveAsync(fromVersion, toVersion);

    /// <summary>
    /// Erases the confirmed events up to <paramref name="toVersion"/> (for example to forget personal data on request):
    /// confirms everything raised so far, has the store write a checkpoint of <see cref="State"/> at <see cref="Version"/>
    /// first, then makes events 1..<paramref name="toVersion"/> unreadable and removes them from storage (a
    /// write-ahead-log store at its next compaction, when their bytes leave every file). <see cref="State"/> and
    /// <see cref="Version"/> do not change, the next activation starts from the checkpoint, and
    /// <see cref="RetrieveConfirmedEvents"/> of erased versions throws <see cref="EventHistoryUnavailableException"/>.
    /// </summary>
    /// <remarks>Not an Orleans API (Orleans' journaled grains cannot forget events). A store whose history policy
    /// reclaims checkpointed events may drop the events after <paramref name="toVersion"/> that the checkpoint covers as
    /// well.</remarks>
    /// <param name="toVersion">The newest version to erase: 1..<see cref="Version"/> (after confirming).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="toVersion"/> is below 1 or above the confirmed version.</exception>
    /// <exception cref="HistoryEraseRejectedException">The store refused (the checkpoint cannot be encoded or stored, or the
    /// store cannot erase physically); nothing was erased.</exception>
    /// <exception cref="EventRejectedException">The store refused some of the events raised so far; nothing was erased.</exception>
    /// <exception cref="InvalidOperationException">The journal failed earlier in this activation, or an erase is already running.</exception>
    protected Task EraseConfirmedEvents(int toVersion) => Journal.EraseHistoryAsync(toVersion);

    /// <summary>
    /// Applies one event to a state. The default calls the state's public <c>Apply</c> overload that best fits the
    /// event's runtime type (or <see cref="IApply{TEvent}.Apply"/>).
    /// </summary>
    /// <exception cref="NotSupportedException">No Apply method fits the event (the message says what to add).</exception>
    protected virtual void TransitionState(TState state, TEvent @event) => ApplyConvention<TState, TEvent>.Apply(state, @event, GetType());

    /// <summary>Called after the confirmed state changed (events confirmed, or caught up from the store). Exceptions are logged.</summary>
    protected virtual void OnStateChanged()
    {
    }

    /// <summary>Called after the tentative state may have changed (events raised, dropped or caught up). Exceptions are logged.</summary>
    protected virtual void OnTentativeStateChanged()
    {
    }

    /// <inheritdoc />
    protected override void Participate(IGrainLifecycle lifecycle)
    {
        base.Participate(lifecycle);
        _journal = new JournalView<TState, TEvent>(GrainContext, GetType(), this);
        lifecycle.Subscribe("journal", GrainLifecycleStage.SetupState, _journal.LoadAsync, _journal.TeardownAsync);
    }

    void IJournalHost<TState, TEvent>.Apply(TState state, TEvent @event) => TransitionState(state, @event);

    void IJournalHost<TState, TEvent>.TentativeStateChanged() => OnTentativeStateChanged();

    void IJournalHost<TState, TEvent>.ConfirmedStateChanged() => OnStateChanged();
}
