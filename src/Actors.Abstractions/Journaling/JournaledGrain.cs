using Actors.Runtime;
using Actors.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Actors.Journaling;

/// <summary>
/// An event-sourced grain in the manner of Orleans' <c>JournaledGrain</c>: the grain raises events, the journal stores
/// them, and the state is the fold of the events through <see cref="TransitionState"/>.
/// </summary>
/// <remarks>
/// <para>Storage: with a <see cref="StorageProviderAttribute"/> on the class (for example <c>[WriteAheadLog]</c>), the
/// events go to the keyed <see cref="IJournalAdaptorFactory"/> of that store; without one the journal is in memory
/// and lost when the activation deactivates.</para>
/// <para>Flow: <see cref="RaiseEvent"/> encodes the event first (an encoding failure is a <em>rejection</em>: the caller
/// gets the exception and nothing changes), then applies it to <see cref="TentativeState"/>.
/// <see cref="ConfirmEvents"/> appends every unconfirmed event as one atomic batch and completes when durable; then the
/// events are applied to <see cref="State"/> and <see cref="Version"/> advances. A rejected append drops all
/// unconfirmed events (the tentative state returns to the confirmed one). A failed append (I/O error, version conflict:
/// outcome unknown) makes further journal use throw and deactivates the activation once its running requests end, so
/// the next activation replays from the journal; the caller gets the exception.</para>
/// <para>Event application is typed, never dynamic: override <see cref="TransitionState"/>, or let the state implement
/// <see cref="IApply{TEvent}"/>. It must be deterministic: it runs on the tentative state, again on the confirmed
/// state, and on replay. The tentative state starts as a copy of the confirmed state made with the silo's serializer,
/// so <typeparamref name="TState"/> must round-trip through it.</para>
/// </remarks>
/// <typeparam name="TState">The state.</typeparam>
/// <typeparam name="TEvent">The event base type.</typeparam>
public abstract partial class JournaledGrain<TState, TEvent> : Grain
    where TState : class, new()
    where TEvent : class
{
    private readonly List<TEvent> _unconfirmed = [];
    private readonly List<PreparedEvents> _prepared = [];
    private readonly SemaphoreSlim _confirmLock = new(1, 1);
    private IJournalAdaptor<TState, TEvent>? _adaptor;
    private TState _confirmed = new();
    private TState? _tentative;
    private long _version;
    private Exception? _failure;

    /// <summary>The confirmed state: all events up to <see cref="Version"/> are durable.</summary>
    protected TState State => _confirmed;

    /// <summary>The confirmed state plus the unconfirmed events.</summary>
    protected TState TentativeState => _unconfirmed.Count == 0 ? _confirmed : _tentative!;

    /// <summary>How many events <see cref="State"/> includes.</summary>
    protected long Version => _version;

    /// <summary>The events raised and not yet confirmed, oldest first.</summary>
    protected IReadOnlyList<TEvent> UnconfirmedEvents => _unconfirmed;

    private IJournalAdaptor<TState, TEvent> Adaptor => _adaptor
        ?? throw new InvalidOperationException($"The journal of grain '{GetType().FullName}' is used before activation.");

    /// <summary>Raises one event (see <see cref="RaiseEvents"/>).</summary>
    protected void RaiseEvent(TEvent @event)
    {
        ArgumentNullException.ThrowIfNull(@event);
        RaiseEvents([@event]);
    }

    /// <summary>
    /// Raises events that will be confirmed together in one atomic append: encodes them (throwing leaves everything
    /// unchanged) and applies them to <see cref="TentativeState"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">The journal failed earlier in this activation.</exception>
    protected void RaiseEvents(IEnumerable<TEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        ThrowIfFailed();
        TEvent[] batch = [.. events];
        if (batch.Length == 0)
        {
            return;
        }

        if (Array.Exists(batch, e => e is null))
        {
            throw new ArgumentException("Events must not be null.", nameof(events));
        }

        PreparedEvents prepared = Adaptor.PrepareEvents(batch);
        _tentative ??= CopyState(_confirmed);
        try
        {
            foreach (TEvent @event in batch)
            {
                TransitionState(_tentative, @event);
            }
        }
        catch
        {
            RebuildTentative();
            throw;
        }

        _unconfirmed.AddRange(batch);
        _prepared.Add(prepared);
    }

    /// <summary>Appends all unconfirmed events as one batch; completes when they are durable and applied to <see cref="State"/>.</summary>
    /// <exception cref="EventRejectedException">The store refused the events; they were dropped.</exception>
    /// <exception cref="InvalidOperationException">The journal failed earlier in this activation.</exception>
    protected async Task ConfirmEvents()
    {
        await _confirmLock.WaitAsync();
        try
        {
            await ConfirmLockedAsync();
        }
        finally
        {
            _confirmLock.Release();
        }
    }

    /// <summary>
    /// The confirmed events that moved the state from version <paramref name="fromVersion"/> to
    /// <paramref name="toVersion"/> (Orleans' convention: <c>RetrieveConfirmedEvents(0, Version)</c> returns all).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Not 0 &lt;= from &lt;= to &lt;= <see cref="Version"/>.</exception>
    /// <exception cref="NotSupportedException">The store no longer holds some of the events.</exception>
    protected async Task<IReadOnlyList<TEvent>> RetrieveConfirmedEvents(long fromVersion, long toVersion)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(fromVersion);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(fromVersion, toVersion);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(toVersion, _version);
        var events = new List<TEvent>((int)Math.Min(toVersion - fromVersion, 4096));
        if (toVersion == fromVersion)
        {
            return events;
        }

        await foreach (JournalEntry<TEvent> entry in Adaptor.ReadEventsAsync(fromVersion + 1, toVersion, CancellationToken.None))
        {
            events.Add(entry.Event);
        }

        return events;
    }

    /// <summary>Applies one event to a state. The default calls <see cref="IApply{TEvent}.Apply"/> on the state.</summary>
    /// <exception cref="NotSupportedException">Not overridden and the state does not implement <see cref="IApply{TEvent}"/>.</exception>
    protected virtual void TransitionState(TState state, TEvent @event)
    {
        if (state is IApply<TEvent> applier)
        {
            applier.Apply(@event);
            return;
        }

        throw new NotSupportedException(
            $"Grain '{GetType().FullName}' must override TransitionState, or '{typeof(TState).FullName}' must implement IApply<{typeof(TEvent).Name}>.");
    }

    /// <summary>Called after the confirmed state changed (after each successful <see cref="ConfirmEvents"/>).</summary>
    protected virtual void OnStateChanged()
    {
    }

    /// <inheritdoc />
    protected override void Participate(IGrainLifecycle lifecycle)
    {
        base.Participate(lifecycle);
        lifecycle.Subscribe("journal", GrainLifecycleStage.SetupState, SetupStateAsync, TeardownStateAsync);
    }

    /// <summary>Loads the checkpoint and replays the events after it (before <see cref="Grain.OnActivateAsync"/>).</summary>
    private async Task SetupStateAsync(CancellationToken cancellationToken)
    {
        _adaptor = CreateAdaptor();
        JournalCheckpoint<TState>? checkpoint = await _adaptor.ReadCheckpointAsync(cancellationToken);
        if (checkpoint is not null)
        {
            _confirmed = checkpoint.State;
            _version = checkpoint.Version;
        }

        await foreach (JournalEntry<TEvent> entry in _adaptor.ReadEventsAsync(_version + 1, long.MaxValue, cancellationToken))
        {
            if (entry.Version != _version + 1)
            {
                throw new InvalidOperationException($"The journal of grain {GrainId} jumps from version {_version} to {entry.Version}.");
            }

            try
            {
                TransitionState(_confirmed, entry.Event);
            }
            catch (Exception ex)
            {
                throw new InvalidOperationException(
                    $"Replaying event version {entry.Version} ({entry.Event.GetType().Name}) of grain {GrainId} failed: {ex.Message}", ex);
            }

            _version++;
        }
    }

    /// <summary>Confirms pending events and lets the store see the final state (after <see cref="Grain.OnDeactivateAsync"/>).</summary>
    private async Task TeardownStateAsync(CancellationToken cancellationToken)
    {
        if (_adaptor is null || _failure is not null)
        {
            return;
        }

        if (_unconfirmed.Count > 0)
        {
            await ConfirmEvents();
        }

        await _adaptor.OnDeactivateAsync(_confirmed, _version, cancellationToken);
    }
}
