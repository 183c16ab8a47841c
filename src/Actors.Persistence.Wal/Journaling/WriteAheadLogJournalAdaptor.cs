using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using Actors.Journaling;
using Actors.Persistence.Wal.Diagnostics;
using Actors.Persistence.Wal.Format;
using Actors.Storage;
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
/// <see cref="EventRejectedException"/> for anything the codec throws or a size over the limits (nothing stored, the
/// grain continues), so that the engine never has a reason to refuse a batch later. <see cref="AppendAsync"/> throws
/// <see cref="InconsistentStateException"/> when the stream's version is not the expected one (nothing stored) and
/// <see cref="GrainStorageFailedException"/> for anything else: I/O errors, a closed log (outcome unknown).
/// </para>
/// <para>
/// Checkpoints are written beside the grain's work, not on its confirm path: when the policy's staggered schedule
/// (<see cref="CheckpointPolicy.IsDue(string, long, long, long)"/>) makes one due, the confirmed state is encoded on the
/// grain's turn and handed to the log before the confirm returns (so it precedes the grain's later appends in the log),
/// but the confirm does not wait for it to become durable. A checkpoint that fails is logged and the next one follows
/// after another interval (the events are durable; activation only replays more). Deactivation waits for the
/// checkpoints still in flight.
/// </para>
/// <para>
/// History: reading events that the log reclaimed after a checkpoint (<see cref="EventHistoryPolicy.ReclaimAfterCheckpoint"/>)
/// throws <see cref="EventHistoryUnavailableException"/> naming the range, the oldest stored version and the policy.
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
    private Task _checkpointsInFlight = Task.CompletedTask;
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

    /// <summary>The version of the latest checkpoint known durable (read at activation or written since).</summary>
    public long CheckpointVersion => Volatile.Read(ref _checkpointVersion);

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
        if (activation is not null && fromVersion > (activation.Checkpoint?.Version ?? 0))
        {
            // The activation read holds every event after its checkpoint: no second read of the log.
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
                throw new EventHistoryUnavailableException(_grainId, fromVersion, last, ex.OldestAvailableVersion, HistoryExplanation(), ex);
            }
        }

        foreach (StoredEvent stored in events)
        {
            if (stored.Version > toVersion)
            {
                yield break;
            }

            if (stored.Version >= fromVersion)
            {
                yield return new JournalEntry<TEvent>(stored.Version, DecodeEvent(stored));
            }
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

        // One batch is one engine append; bounding it by the record limit (at most half a segment) leaves room for the
        // engine's framing, so the engine never refuses it later.
        if (bytes > _store.Options.MaxRecordSizeBytes)
        {
            throw Rejected(
                $"Grain '{_grainId}' raised {events.Count} events of {bytes} bytes as one atomic batch; write-ahead-log store '{_store.Name}' allows at most {_store.Options.MaxRecordSizeBytes} bytes per batch ({nameof(WriteAheadLogStoreOptions.MaxRecordSizeBytes)}). Nothing was stored.");
        }

        return new WalPreparedEvents(records, bytes);
    }

    public async Task AppendAsync(long expectedVersion, IReadOnlyList<PreparedEvents> batches, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batches);
        long version = expectedVersion;
        int index = 0;
        while (index < batches.Count)
        {
            // Consecutive batches share one append while they fit the record limit; each batch stays atomic.
            var records = new List<ReadOnlyMemory<byte>>();
            long bytes = 0;
            while (index < batches.Count
                && (records.Count == 0 || bytes + ((WalPreparedEvents)batches[index]).Bytes <= _store.Options.MaxRecordSizeBytes))
            {
                var prepared = (WalPreparedEvents)batches[index++];
                records.AddRange(prepared.Records);
                bytes += prepared.Bytes;
            }

            if (records.Count == 0)
            {
                continue;
            }

            AppendResult result;
            try
            {
                IEventLog log = await _store.GetLogAsync(cancellationToken);
                result = await log.AppendAsync(_streamId, version, records, CancellationToken.None);
            }
            catch (StreamVersionConflictException ex) when (version == expectedVersion)
            {
                // Nothing was stored: the stream moved on without this activation (another writer of the stream).
                throw new InconsistentStateException(
                    $"The journal of grain '{_grainId}' in write-ahead-log store '{_store.Name}' is at version {ex.ActualVersion}, but this activation expected {ex.ExpectedVersion}. Nothing was stored.",
                    ex.ActualVersion.ToString(CultureInfo.InvariantCulture),
                    ex.ExpectedVersion.ToString(CultureInfo.InvariantCulture),
                    ex);
            }
            catch (RequestRejectedException ex) when (version == expectedVersion)
            {
                // The engine refused the request before storing anything (a read-only log, say); the checks at raise
                // time leave it no other reason.
                throw Rejected(
                    $"Write-ahead-log store '{_store.Name}' rejected {records.Count} events of grain '{_grainId}' before storing anything: {ex.Message}", ex);
            }
            catch (Exception ex)
            {
                PersistenceInstruments.Failed(_store.Name);
                throw new GrainStorageFailedException(_grainId, _store.Name, version, ex);
            }

            PersistenceInstruments.EventsAppended(_store.Name, records.Count);
            _eventsSinceCheckpoint += records.Count;
            _bytesSinceCheckpoint += bytes;
            version = result.LastVersion;
        }
    }

    public Task OnConfirmedAsync(TState confirmedState, long version, CancellationToken cancellationToken)
    {
        if (Policy.IsDue(_streamId, version, _eventsSinceCheckpoint, _bytesSinceCheckpoint))
        {
            // The events are already durable: the checkpoint ignores the caller's token so that a cancellation cannot
            // turn a stored confirm into a reported failure, and the confirm does not wait for it.
            Task started = WriteCheckpointInBackgroundAsync(confirmedState, version);
            _checkpointsInFlight = _checkpointsInFlight.IsCompleted ? started : Task.WhenAll(_checkpointsInFlight, started);
        }

        return Task.CompletedTask;
    }

    public async Task OnDeactivateAsync(TState confirmedState, long version, CancellationToken cancellationToken)
    {
        await _checkpointsInFlight.WaitAsync(cancellationToken);
        if (!Policy.OnDeactivation || version <= CheckpointVersion || _store.Log is null)
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

    /// <summary>
    /// Encodes the state and hands the checkpoint to the log synchronously on the grain's turn (when the log is open),
    /// then completes when it is durable or failed; never faults (a failure is logged).
    /// </summary>
    private async Task WriteCheckpointInBackgroundAsync(TState state, long version)
    {
        try
        {
            await WriteCheckpointAsync(state, version, CancellationToken.None);
        }
        catch (Exception ex)
        {
            // The events are durable; without this checkpoint the next activation only replays more.
            LogCheckpointFailed(_logger, ex, _grainId.ToString(), _store.Name, version);
        }
    }

    private async Task WriteCheckpointAsync(TState state, long version, CancellationToken cancellationToken)
    {
        if (version <= CheckpointVersion)
        {
            return;
        }

        // The counters restart now (on the grain's turn): the schedule counts from this attempt, whatever its outcome.
        _eventsSinceCheckpoint = 0;
        _bytesSinceCheckpoint = 0;
        byte[] envelope;
        try
        {
            envelope = EncodeCheckpoint(state, version);
        }
        catch (EventEncodingException ex)
        {
            // The events are durable; without a checkpoint activation only replays more. Try again after another interval.
            LogCheckpointFailed(_logger, ex, _grainId.ToString(), _store.Name, version);
            return;
        }

        if (envelope.Length > _store.Options.MaxRecordSizeBytes)
        {
            LogCheckpointTooLarge(_logger, _grainId.ToString(), _store.Name, version, envelope.Length, _store.Options.MaxRecordSizeBytes);
            return;
        }

        IEventLog log = await _store.GetLogAsync(cancellationToken);
        try
        {
            await log.WriteCheckpointAsync(_streamId, version, envelope, cancellationToken);
        }
        catch (RequestRejectedException ex)
        {
            // Refused before anything was stored (a read-only log, say). Try again after another policy interval.
            LogCheckpointFailed(_logger, ex, _grainId.ToString(), _store.Name, version);
            return;
        }

        RaiseCheckpointVersion(version);
        PersistenceInstruments.CheckpointWritten(_store.Name);
        LogCheckpointWritten(_logger, _grainId.ToString(), _store.Name, version);
    }

    /// <summary>Restarts the schedule's counters and notes a durable checkpoint at <paramref name="checkpointVersion"/> (grain's turn).</summary>
    private void ResetCounters(long checkpointVersion)
    {
        _eventsSinceCheckpoint = 0;
        _bytesSinceCheckpoint = 0;
        RaiseCheckpointVersion(checkpointVersion);
    }

    /// <summary>Raises the known checkpoint version (completions may run off the grain's turn and out of order: it only grows).</summary>
    private void RaiseCheckpointVersion(long version)
    {
        long known = Volatile.Read(ref _checkpointVersion);
        while (version > known)
        {
            long seen = Interlocked.CompareExchange(ref _checkpointVersion, version, known);
            if (seen == known)
            {
                break;
            }

            known = seen;
        }
    }

    private string HistoryExplanation() => _store.ClassHistory.For(_streamId) is { } classPolicy
        ? $"Grain type '{_grainId.Type}' has the history policy {classPolicy} in write-ahead-log store '{_store.Name}' (its [WriteAheadLog(EventHistory = ...)]): the events it no longer keeps were reclaimed, or the grain erased them (EraseConfirmedEvents)."
        : _store.Options.EventHistory == EventHistoryPolicy.KeepLastVersions
        ? $"Write-ahead-log store '{_store.Name}' keeps the events a checkpoint covers for a grain's newest {_store.Options.HistoryVersions} versions ({nameof(WriteAheadLogStoreOptions.EventHistory)} = {EventHistoryPolicy.KeepLastVersions}); older ones were reclaimed, or the grain erased them (EraseConfirmedEvents)."
        : _store.Options.EventHistory == EventHistoryPolicy.KeepFor
        ? $"Write-ahead-log store '{_store.Name}' keeps the events a checkpoint covers for {_store.Options.HistoryDuration} ({nameof(WriteAheadLogStoreOptions.EventHistory)} = {EventHistoryPolicy.KeepFor}); older ones were reclaimed, or the grain erased them (EraseConfirmedEvents)."
        : _store.Options.ToLogOptions(resolveEncryption: false).RetainCheckpointedEvents
        ? $"Write-ahead-log store '{_store.Name}' keeps every event now ({nameof(WriteAheadLogStoreOptions.EventHistory)} = {_store.Options.EventHistory}), but these were reclaimed after a checkpoint while it did not, or the grain erased them (EraseConfirmedEvents)."
        : $"Write-ahead-log store '{_store.Name}' reclaims events once a checkpoint covers them ({nameof(WriteAheadLogStoreOptions.EventHistory)} = {EventHistoryPolicy.ReclaimAfterCheckpoint}), and the grain may have erased them (EraseConfirmedEvents); set it to {EventHistoryPolicy.KeepAll} to keep a grain's whole history.";

    [LoggerMessage(20, LogLevel.Debug, "Grain {GrainId} wrote a checkpoint at version {Version} to write-ahead-log store {StoreName}")]
    private static partial void LogCheckpointWritten(ILogger logger, string grainId, string storeName, long version);

    [LoggerMessage(22, LogLevel.Warning, "Grain {GrainId} skipped a checkpoint at version {Version} in write-ahead-log store {StoreName}: {Bytes} bytes exceed MaxRecordSizeBytes ({MaxBytes}); activation will replay more events")]
    private static partial void LogCheckpointTooLarge(ILogger logger, string grainId, string storeName, long version, int bytes, int maxBytes);

    [LoggerMessage(21, LogLevel.Warning, "Grain {GrainId} could not write a checkpoint at version {Version} to write-ahead-log store {StoreName}; activation will replay more events")]
    private static partial void LogCheckpointFailed(ILogger logger, Exception exception, string grainId, string storeName, long version);
}
