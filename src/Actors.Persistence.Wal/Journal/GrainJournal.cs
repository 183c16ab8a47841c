using Actors.Persistence.Wal.Format;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Actors.Persistence.Wal;

/// <summary>
/// The event journal of one grain activation over its stream in a write-ahead-log store: the confirmed state and
/// version, the tentative state with the unconfirmed events, confirmation (one atomic append), checkpoints by
/// policy, and replay on activation. Independent of any particular grain runtime.
/// </summary>
/// <remarks>
/// <para>
/// Not thread-safe for <see cref="Submit"/>/<see cref="SubmitRange"/> (call them from the grain's turn);
/// <see cref="ConfirmAsync"/> calls are serialized internally, so overlapping confirmations are safe.
/// </para>
/// <para>
/// Failure semantics (after Akka.Persistence): an event that cannot be encoded or is larger than
/// <see cref="WriteAheadLogStoreOptions.MaxEventSizeBytes"/> is <em>rejected</em> by <see cref="Submit"/> with
/// <see cref="EventEncodingException"/>: nothing is stored or applied and the journal stays usable. A confirmation
/// that hits an I/O error, a closed log or a version conflict <em>fails</em> with
/// <see cref="GrainStorageFailedException"/>: the outcome is unknown, the journal refuses further work
/// (<see cref="IsFailed"/>) and the grain must be reactivated to replay the log.
/// </para>
/// </remarks>
/// <typeparam name="TState">The state type; events are applied to it in version order.</typeparam>
/// <typeparam name="TEvent">The event base type.</typeparam>
public sealed partial class GrainJournal<TState, TEvent>
    where TState : class
    where TEvent : class
{
    private readonly WriteAheadLogStore _store;
    private readonly Func<TState> _createState;
    private readonly Action<TState, TEvent> _apply;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _confirmGate = new(1, 1);
    private readonly List<PendingEvent> _unconfirmed = [];
    private TState _confirmed;
    private TState? _tentative;
    private bool _tentativeValid = true;
    private long _eventsSinceCheckpoint;
    private long _bytesSinceCheckpoint;
    private GrainStorageFailedException? _failure;

    /// <summary>Creates the journal of one activation; call <see cref="ActivateAsync"/> before anything else.</summary>
    /// <param name="store">The store holding the grain's stream.</param>
    /// <param name="grainId">The grain.</param>
    /// <param name="policy">When to write checkpoints.</param>
    /// <param name="createState">Creates the initial (version 0) state.</param>
    /// <param name="apply">Applies one event to a state, mutating it. Must be deterministic.</param>
    /// <param name="logger">Where to log checkpoint problems.</param>
    public GrainJournal(
        WriteAheadLogStore store,
        GrainId grainId,
        CheckpointPolicy policy,
        Func<TState> createState,
        Action<TState, TEvent> apply,
        ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(createState);
        ArgumentNullException.ThrowIfNull(apply);
        _store = store;
        GrainId = grainId;
        StreamId = GrainStreams.GetStreamId(grainId);
        Policy = policy;
        _createState = createState;
        _apply = apply;
        _logger = logger ?? NullLogger.Instance;
        _confirmed = createState();
    }

    /// <summary>The grain.</summary>
    public GrainId GrainId { get; }

    /// <summary>The grain's stream id.</summary>
    public string StreamId { get; }

    /// <summary>The checkpoint policy in force.</summary>
    public CheckpointPolicy Policy { get; }

    /// <summary>The state after every confirmed event.</summary>
    public TState ConfirmedState => _confirmed;

    /// <summary>The number of confirmed events (the stream version).</summary>
    public long ConfirmedVersion { get; private set; }

    /// <summary>The version covered by the grain's latest checkpoint (0 when none).</summary>
    public long CheckpointVersion { get; private set; }

    /// <summary>The confirmed state with the unconfirmed events applied.</summary>
    public TState TentativeState
    {
        get
        {
            if (!_tentativeValid)
            {
                RebuildTentative();
            }

            return _tentative ?? _confirmed;
        }
    }

    /// <summary>The events raised but not yet confirmed, in order.</summary>
    public IReadOnlyList<TEvent> UnconfirmedEvents => _unconfirmed.ConvertAll(p => p.Event);

    /// <summary>True after a failed write: the journal refuses further work until the grain is reactivated.</summary>
    public bool IsFailed => _failure is not null;

    /// <summary>Raises one event: encodes it (a rejection throws and changes nothing) and applies it to the tentative state.</summary>
    /// <exception cref="EventEncodingException">The event cannot be encoded or is too large; nothing changed.</exception>
    /// <exception cref="GrainStorageFailedException">An earlier write failed; the grain must be reactivated.</exception>
    public void Submit(TEvent @event)
    {
        ArgumentNullException.ThrowIfNull(@event);
        SubmitRange([@event]);
    }

    /// <summary>Raises several events as one batch: all are encoded first, and a rejection of any changes nothing.</summary>
    /// <exception cref="EventEncodingException">An event cannot be encoded or is too large; nothing changed.</exception>
    /// <exception cref="GrainStorageFailedException">An earlier write failed; the grain must be reactivated.</exception>
    public void SubmitRange(IEnumerable<TEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        ThrowIfFailed();
        var pending = new List<PendingEvent>();
        foreach (TEvent @event in events)
        {
            ArgumentNullException.ThrowIfNull(@event, nameof(events));
            pending.Add(new PendingEvent(@event, Encode(@event)));
        }

        if (pending.Count == 0)
        {
            return;
        }

        TState tentative = TentativeStateForWrite();
        int applied = 0;
        try
        {
            foreach (PendingEvent p in pending)
            {
                _apply(tentative, p.Event);
                applied++;
            }
        }
        catch (Exception) when (applied < pending.Count)
        {
            // The tentative state may be half-changed: rebuild it from the confirmed state on next use.
            _tentativeValid = false;
            throw;
        }

        _unconfirmed.AddRange(pending);
    }

    private byte[] Encode(TEvent @event)
    {
        EncodedEvent encoded = _store.Codec.EncodeEvent(@event);
        byte[] record = new GrainRecord(GrainRecordKind.JournalEvent, "", encoded.TypeName, encoded.Payload).ToArray();
        if (record.Length > _store.Options.MaxEventSizeBytes)
        {
            throw new EventEncodingException(
                @event.GetType(),
                $"The encoded event '{encoded.TypeName}' is {record.Length} bytes; store '{_store.Name}' allows at most {_store.Options.MaxEventSizeBytes} ({nameof(WriteAheadLogStoreOptions.MaxEventSizeBytes)}).");
        }

        return record;
    }

    private TState TentativeStateForWrite()
    {
        if (!_tentativeValid)
        {
            RebuildTentative();
        }

        return _tentative ??= Clone(_confirmed);
    }

    private void RebuildTentative()
    {
        TState tentative = Clone(_confirmed);
        foreach (PendingEvent p in _unconfirmed)
        {
            _apply(tentative, p.Event);
        }

        _tentative = _unconfirmed.Count == 0 ? null : tentative;
        _tentativeValid = true;
    }

    private TState Clone(TState state)
    {
        var context = new CodecContext(StreamId, ConfirmedVersion);
        ReadOnlyMemory<byte> bytes = _store.Codec.EncodeState(state, typeof(TState));
        return _store.Codec.DecodeState(bytes, typeof(TState), context) as TState
            ?? throw new EventEncodingException(typeof(TState), "The state decodes to null, so it cannot be copied for tentative changes.");
    }

    private void ThrowIfFailed()
    {
        if (_failure is not null)
        {
            throw _failure;
        }
    }

    private readonly record struct PendingEvent(TEvent Event, byte[] Record);
}
