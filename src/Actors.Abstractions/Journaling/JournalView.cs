using Actors.Runtime;
using Actors.Serialization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Actors.Journaling;

/// <summary>
/// The journal of one activation of a <see cref="JournaledGrain{TState, TEvent}"/>: the confirmed state and version,
/// the raised batches waiting for confirmation, the tentative state, and the background confirmation that writes them.
/// It owns all of this state alone; the grain only forwards its API.
/// </summary>
/// <remarks>
/// Threading: every member runs on the activation's scheduler (grain turns, the lifecycle, and the confirmation cycles
/// it starts there), so pieces interleave only at awaits and no lock is needed. Raising schedules a confirmation cycle
/// after the raising turn's current step (<see cref="Task.Yield"/> on the activation's scheduler), so events raised
/// without <c>ConfirmEvents</c> are written soon after, batched with whatever else the turn raised.
/// </remarks>
/// <typeparam name="TState">The journaled state.</typeparam>
/// <typeparam name="TEvent">The event type.</typeparam>
internal sealed partial class JournalView<TState, TEvent>
    where TState : class, new()
    where TEvent : class
{
    private readonly IGrainContext _context;
    private readonly Type _grainClass;
    private readonly IJournalHost<TState, TEvent> _host;
    private readonly ILogger _logger;
    private readonly List<PendingBatch<TEvent>> _pending = [];
    private IJournalAdaptor<TState, TEvent>? _adaptor;
    private TState _confirmed = new();
    private TState? _tentative;
    private long _version;
    private long _lastSequence;

    public JournalView(IGrainContext context, Type grainClass, IJournalHost<TState, TEvent> host)
    {
        _context = context;
        _grainClass = grainClass;
        _host = host;
        _logger = context.ActivationServices.GetService<ILoggerFactory>()?.CreateLogger(JournalLog.Category) ?? NullLogger.Instance;
    }

    /// <summary>The confirmed state: every event up to <see cref="Version"/> is durable.</summary>
    public TState Confirmed => _confirmed;

    /// <summary>How many events <see cref="Confirmed"/> includes.</summary>
    public long Version => _version;

    /// <summary>The confirmed state plus the raised events not yet confirmed.</summary>
    public TState Tentative => _pending.Count == 0 ? _confirmed : _tentative ??= RebuildTentative();

    /// <summary>The raised events not yet confirmed, oldest first (a snapshot: confirmation may change the queue at any await).</summary>
    public IReadOnlyList<TEvent> Unconfirmed => [.. _pending.SelectMany(b => b.Events)];

    private IJournalAdaptor<TState, TEvent> Adaptor => _adaptor
        ?? throw new InvalidOperationException($"The journal of grain '{_grainClass.FullName}' is used before the grain activated (it loads before OnActivateAsync).");

    private GrainId GrainId => _context.GrainId;

    /// <summary>Creates the adaptor, loads the latest checkpoint and replays the events after it.</summary>
    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        _adaptor = JournalStores.CreateAdaptor<TState, TEvent>(GrainId, _grainClass, _context.ActivationServices);
        JournalCheckpoint<TState>? checkpoint = await _adaptor.ReadCheckpointAsync(cancellationToken);
        if (checkpoint is not null)
        {
            _confirmed = checkpoint.State;
            _version = checkpoint.Version;
        }

        await ApplyStoredEventsAsync(cancellationToken);
    }

    /// <summary>Encodes and raises a batch; returns it (pending, confirmation scheduled).</summary>
    /// <exception cref="InvalidOperationException">The journal failed earlier in this activation.</exception>
    public PendingBatch<TEvent>? Raise(TEvent[] batch, bool conditional)
    {
        ThrowIfFailed();
        if (batch.Length == 0)
        {
            return null;
        }

        if (Array.Exists(batch, e => e is null))
        {
            throw new ArgumentException("Events must not be null.", nameof(batch));
        }

        // Encode first: a rejection changes nothing. Then the tentative state: an event that cannot be applied is
        // refused too, since a stored event that replay cannot apply would keep the grain from ever activating.
        PreparedEvents prepared = Adaptor.PrepareEvents(batch);
        TState tentative = _tentative ??= RebuildTentative();
        try
        {
            foreach (TEvent @event in batch)
            {
                _host.Apply(tentative, @event);
            }
        }
        catch
        {
            _tentative = null;
            throw;
        }

        long position = conditional ? _version + _pending.Sum(b => b.Events.Length) : PendingBatch<TEvent>.Unconditional;
        var pending = new PendingBatch<TEvent>(++_lastSequence, batch, prepared, position);
        _pending.Add(pending);
        NotifyTentativeChanged();
        ScheduleConfirmation();
        return pending;
    }

    /// <summary>The confirmed events from version <paramref name="fromVersion"/> + 1 to <paramref name="toVersion"/>.</summary>
    public async Task<IReadOnlyList<TEvent>> RetrieveAsync(long fromVersion, long toVersion)
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

    /// <summary>Applies the stored events after <see cref="Version"/> to the confirmed state, in order.</summary>
    private async Task ApplyStoredEventsAsync(CancellationToken cancellationToken)
    {
        await foreach (JournalEntry<TEvent> entry in Adaptor.ReadEventsAsync(_version + 1, long.MaxValue, cancellationToken))
        {
            if (entry.Version != _version + 1)
            {
                throw new InvalidOperationException($"The journal of grain {GrainId} jumps from version {_version} to {entry.Version}.");
            }

            try
            {
                _host.Apply(_confirmed, entry.Event);
            }
            catch (Exception ex)
            {
                throw new InvalidOperationException(
                    $"Replaying event version {entry.Version} ({entry.Event.GetType().Name}) of grain {GrainId} failed: {ex.Message}", ex);
            }

            _version++;
        }
    }

    private TState RebuildTentative()
    {
        TState tentative = CopyState(_confirmed);
        foreach (PendingBatch<TEvent> batch in _pending)
        {
            foreach (TEvent @event in batch.Events)
            {
                _host.Apply(tentative, @event);
            }
        }

        return tentative;
    }

    private TState CopyState(TState state)
    {
        IGrainSerializer serializer = _context.ActivationServices.GetRequiredService<IGrainSerializer>();
        return (TState)serializer.Deserialize(serializer.Serialize(state, typeof(TState)), typeof(TState))!;
    }

    private void NotifyTentativeChanged() => Notify(_host.TentativeStateChanged, "OnTentativeStateChanged");

    private void NotifyConfirmedChanged() => Notify(_host.ConfirmedStateChanged, "OnStateChanged");

    /// <summary>Runs a grain callback; like Orleans, an exception from it is logged and the journal carries on.</summary>
    private void Notify(Action callback, string name)
    {
        try
        {
            callback();
        }
        catch (Exception ex)
        {
            JournalLog.CallbackFailed(_logger, ex, GrainId.ToString(), name);
        }
    }
}
