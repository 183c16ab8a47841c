using System.Diagnostics;
using System.Runtime.CompilerServices;
using Actors.Journaling;
using Actors.Persistence.Wal.Diagnostics;
using Actors.Persistence.Wal.Format;
using Actors.Wal;
using Microsoft.Extensions.Logging;

namespace Actors.Persistence.Wal;

/// <summary>
/// The journal of one activation of a journaled grain in a write-ahead-log store: the grain's events are grain
/// records in its own stream (<see cref="GrainStreams"/>), and checkpoints are grain checkpoints of its confirmed
/// state written by <see cref="CheckpointPolicy"/>.
/// </summary>
/// <remarks>
/// <para>
/// Activation reads the stream once (<see cref="IEventLog.ReadStreamAsync"/>: the latest checkpoint and the events
/// after it, without scanning other grains); the following <see cref="ReadEventsAsync"/> replays from that read.
/// Any read, envelope, codec or unknown-type problem throws <see cref="GrainStorageLoadException"/> naming the grain,
/// the version and the cause, and nothing stored is modified.
/// </para>
/// <para>
/// Rejected versus failed: <see cref="PrepareEvents"/> encodes and size-checks at raise time and throws
/// <see cref="EventRejectedException"/> (nothing stored, the grain continues); <see cref="AppendAsync"/> throws
/// <see cref="EventRejectedException"/> only when the log refused the batch before storing it, and
/// <see cref="GrainStorageFailedException"/> for I/O errors, a closed log or a version conflict (outcome unknown).
/// </para>
/// </remarks>
internal sealed partial class WriteAheadLogJournalAdaptor<TState, TEvent> : IJournalAdaptor<TState, TEvent>
    where TState : class, new()
    where TEvent : class
{
    private readonly WriteAheadLogStore _store;
    private readonly GrainId _grainId;
    private readonly string _streamId;
    private readonly ILogger _logger;
    private StreamReadResult? _activationRead;
    private long _checkpointVersion;
    private long _eventsSinceCheckpoint;
    private long _bytesSinceCheckpoint;

    public WriteAheadLogJournalAdaptor(WriteAheadLogStore store, GrainId grainId, CheckpointPolicy policy, ILogger logger)
    {
        _store = store;
        _grainId = grainId;
        _streamId = GrainStreams.GetStreamId(grainId);
        Policy = policy;
        _logger = logger;
    }

    public CheckpointPolicy Policy { get; }

    public long CheckpointVersion => _checkpointVersion;

    public async Task<JournalCheckpoint<TState>?> ReadCheckpointAsync(CancellationToken cancellationToken)
    {
        IEventLog log = await _store.GetLogAsync(cancellationToken);
        long started = Stopwatch.GetTimestamp();
        StreamReadResult read;
        try
        {
            read = await log.ReadStreamAsync(_streamId, ReadBound.Latest, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw new GrainStorageLoadException(_grainId, _store.Name, 0, $"reading the stream failed: {ex.Message}", ex);
        }

        PersistenceInstruments.Loaded(_store.Name, read.Events.Count, Stopwatch.GetElapsedTime(started));
        _activationRead = read;
        _checkpointVersion = read.Checkpoint?.Version ?? 0;
        _eventsSinceCheckpoint = read.Events.Count;
        _bytesSinceCheckpoint = read.Events.Sum(e => (long)e.Payload.Length);
        return read.Checkpoint is { } checkpoint ? new JournalCheckpoint<TState>(DecodeCheckpoint(checkpoint), checkpoint.Version) : null;
    }

    public async IAsyncEnumerable<JournalEntry<TEvent>> ReadEventsAsync(long fromVersion, long toVersion, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        IReadOnlyList<StoredEvent> events;
        StreamReadResult? activation = Interlocked.Exchange(ref _activationRead, null);
        if (activation is not null && fromVersion == (activation.Checkpoint?.Version ?? 0) + 1)
        {
            events = activation.Events;
        }
        else
        {
            IEventLog log = await _store.GetLogAsync(cancellationToken);
            long last = Math.Min(toVersion, log.GetStreamInfo(_streamId).Version);
            if (last < fromVersion)
            {
                yield break;
            }

            try
            {
                events = await log.ReadEventsAsync(_streamId, fromVersion, last, cancellationToken);
            }
            catch (EventsReclaimedException ex)
            {
                throw new NotSupportedException(
                    $"Events {fromVersion}..{last} of grain '{_grainId}' are no longer stored in write-ahead-log store '{_store.Name}' (reclaimed after a checkpoint); the oldest available version is {ex.OldestAvailableVersion}.",
                    ex);
            }
        }

        foreach (StoredEvent stored in events)
        {
            if (stored.Version > toVersion)
            {
                yield break;
            }

            yield return new JournalEntry<TEvent>(stored.Version, DecodeEvent(stored));
        }
    }

    public PreparedEvents PrepareEvents(IReadOnlyList<TEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        var records = new ReadOnlyMemory<byte>[events.Count];
        long bytes = 0;
        for (int i = 0; i < events.Count; i++)
        {
            records[i] = Encode(events[i]);
            bytes += records[i].Length;
        }

        return new WalPreparedEvents(records, bytes);
    }

    public async Task AppendAsync(long expectedVersion, IReadOnlyList<PreparedEvents> batches, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batches);
        var records = new List<ReadOnlyMemory<byte>>();
        long bytes = 0;
        foreach (PreparedEvents batch in batches)
        {
            var prepared = (WalPreparedEvents)batch;
            records.AddRange(prepared.Records);
            bytes += prepared.Bytes;
        }

        if (records.Count == 0)
        {
            return;
        }

        try
        {
            IEventLog log = await _store.GetLogAsync(cancellationToken);
            await log.AppendAsync(_streamId, expectedVersion, records, CancellationToken.None);
        }
        catch (RequestRejectedException ex)
        {
            PersistenceInstruments.Rejected(_store.Name);
            throw new EventRejectedException(
                $"Write-ahead-log store '{_store.Name}' rejected {records.Count} events of grain '{_grainId}' before storing anything: {ex.Message}", ex);
        }
        catch (Exception ex)
        {
            PersistenceInstruments.Failed(_store.Name);
            throw new GrainStorageFailedException(_grainId, _store.Name, expectedVersion, ex);
        }

        PersistenceInstruments.EventsAppended(_store.Name, records.Count);
        _eventsSinceCheckpoint += records.Count;
        _bytesSinceCheckpoint += bytes;
    }

    public Task OnConfirmedAsync(TState confirmedState, long version, CancellationToken cancellationToken) =>
        // The events are already durable: the checkpoint ignores the caller's token so that a cancellation
        // cannot turn a stored confirm into a reported failure.
        Policy.IsDue(_eventsSinceCheckpoint, _bytesSinceCheckpoint)
            ? WriteCheckpointAsync(confirmedState, version, CancellationToken.None)
            : Task.CompletedTask;

    public async Task OnDeactivateAsync(TState confirmedState, long version, CancellationToken cancellationToken)
    {
        if (!Policy.OnDeactivation || version <= _checkpointVersion || _store.Log is null)
        {
            return;
        }

        try
        {
            await WriteCheckpointAsync(confirmedState, version, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The events are durable; without this checkpoint the next activation only replays more.
            LogCheckpointFailed(_logger, ex, _grainId.ToString(), _store.Name, version);
        }
    }

    private async Task WriteCheckpointAsync(TState state, long version, CancellationToken cancellationToken)
    {
        if (version <= _checkpointVersion)
        {
            return;
        }

        byte[] envelope;
        try
        {
            ReadOnlyMemory<byte> payload = _store.Codec.EncodeState(state, typeof(TState));
            envelope = GrainCheckpoint.ToArray([new CheckpointEntry(GrainRecordKind.JournalEvent, "", version, payload)]);
        }
        catch (EventEncodingException ex)
        {
            LogCheckpointFailed(_logger, ex, _grainId.ToString(), _store.Name, version);
            ResetCounters(_checkpointVersion);
            return;
        }

        IEventLog log = await _store.GetLogAsync(cancellationToken);
        try
        {
            await log.WriteCheckpointAsync(_streamId, version, envelope, cancellationToken);
        }
        catch (RequestRejectedException ex)
        {
            // Too large or out of range: nothing stored. Try again after another policy interval.
            LogCheckpointFailed(_logger, ex, _grainId.ToString(), _store.Name, version);
            ResetCounters(_checkpointVersion);
            return;
        }

        ResetCounters(version);
        PersistenceInstruments.CheckpointWritten(_store.Name);
        LogCheckpointWritten(_logger, _grainId.ToString(), _store.Name, version);
    }

    private void ResetCounters(long checkpointVersion)
    {
        _checkpointVersion = checkpointVersion;
        _eventsSinceCheckpoint = 0;
        _bytesSinceCheckpoint = 0;
    }

    [LoggerMessage(20, LogLevel.Debug, "Grain {GrainId} wrote a checkpoint at version {Version} to write-ahead-log store {StoreName}")]
    private static partial void LogCheckpointWritten(ILogger logger, string grainId, string storeName, long version);

    [LoggerMessage(21, LogLevel.Warning, "Grain {GrainId} could not write a checkpoint at version {Version} to write-ahead-log store {StoreName}; activation will replay more events")]
    private static partial void LogCheckpointFailed(ILogger logger, Exception exception, string grainId, string storeName, long version);
}
