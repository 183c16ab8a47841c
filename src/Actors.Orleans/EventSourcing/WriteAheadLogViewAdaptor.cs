using System.Diagnostics;
using Actors.Orleans.Codecs;
using Actors.Orleans.Diagnostics;
using Actors.Orleans.Format;
using Actors.Orleans.Log;
using Actors.Orleans.Storage;
using Actors.Wal;
using Microsoft.Extensions.Logging;
using Orleans.EventSourcing;
using Orleans.EventSourcing.Common;
using Orleans.Storage;

namespace Actors.Orleans.EventSourcing;

/// <summary>
/// Orleans's <see cref="PrimaryBasedLogViewAdaptor{TLogView, TLogEntry, TSubmissionEntry}"/> on the silo's write-ahead
/// log: a journaled grain's events are its own stream (event version = stream version), each confirmed batch one atomic,
/// conditional append; the confirmed state is checkpointed on a schedule; activation reads the newest checkpoint and
/// replays only the events after it.
/// </summary>
/// <remarks>
/// <para>An event is encoded when it is raised (<see cref="MakeSubmissionEntry"/>): one that cannot be serialized makes
/// <c>RaiseEvent</c> throw <see cref="ValueSerializationException"/> before anything changes.</para>
/// <para>The first load runs during activation (<see cref="PreOnActivate"/>), so a stored value that cannot be read fails
/// the activation with <see cref="ValueDeserializationException"/>: never a grain on a default or partial state.</para>
/// <para>Refreshes (Orleans's <c>Synchronize</c>) read only the events after the confirmed version. A write refused for
/// its version (another activation wrote) refreshes and lets Orleans retry the batch, re-checking conditional events; a
/// log failure is recorded as Orleans's connection issue and retried as Orleans's own adaptors do, except a refusal that
/// deactivated the activation (<see cref="WriteAheadLogUnavailableException.ActivationDeactivated"/>: this silo does not lead
/// the grain's partition), which ends the call with that refusal and leaves this activation unable to read or store anything
/// (WriteAheadLogViewAdaptor.Refusals.cs).</para>
/// </remarks>
internal sealed partial class WriteAheadLogViewAdaptor<TView, TEntry> : PrimaryBasedLogViewAdaptor<TView, TEntry, EncodedSubmission<TEntry>>, ILogViewAdaptor<TView, TEntry>
    where TView : class, new()
    where TEntry : class
{
    /// <summary>
    /// The events of a range encoded ahead (<see cref="EncodeAhead"/>) with their records, taken in order by
    /// <see cref="MakeSubmissionEntry"/> only for the very event at the head (an event a grain raises from a callback while
    /// the range is submitted is encoded on its own).
    /// </summary>
    private readonly Queue<(TEntry Entry, byte[] Record)> _encodedAhead = new();
    private readonly JournalSettings _settings;

    /// <summary>
    /// True while the confirmed view misses an event the grain's <c>TransitionState</c> threw on (Orleans logs and skips
    /// it): no checkpoint is written then, so the events stay the record and a corrected grain rebuilds its state from them
    /// (a checkpoint would make the skipped event's effect lost for good). Cleared by a load or a clear.
    /// </summary>
    private bool _viewMissesAnEvent;
    private readonly ulong _streamHash;

    /// <summary>The engine's framing of one append: its 48-byte record header and the stream id (Format/RecordHeader.cs).</summary>
    private readonly int _batchOverhead;
    /// <summary>Each event's length prefix in the record, plus the largest per-payload overhead encryption adds.</summary>
    private const int PerEventOverhead = 4 + 32;

    private TView _confirmed = null!;
    private int _version;

    /// <summary>
    /// The refusal that deactivated this activation (<see cref="WriteAheadLogUnavailableException.ActivationDeactivated"/>),
    /// once one came: from then on every read and write of this adaptor throws it without touching the log, so a batch the
    /// caller was told is refused is never stored later by this activation.
    /// </summary>
    private WriteAheadLogUnavailableException? _refused;

    /// <summary>The error the last work cycle ended with once the activation was refused: what its waiters get (<see cref="ThrowingRefusal"/>).</summary>
    private Exception? _abandonedWith;

    /// <summary>
    /// True once an append of the pending events failed in a way that may have stored it (not a refusal), until a write
    /// cycle stores them: a refusal that ends the activation then reports the outcome as unknown, never "nothing stored".
    /// </summary>
    private bool _pendingMayBeStored;

    /// <summary>The appends of the pending events whose outcome is unknown and not yet decided (WriteAheadLogViewAdaptor.InDoubt.cs).</summary>
    private readonly InDoubtAppends _inDoubt = new();

    /// <summary>
    /// The outcome-unknown error an append ended with when the stream could not tell whether it was stored, once one did:
    /// from then on every write of this adaptor throws it without touching the log (WriteAheadLogViewAdaptor.InDoubt.cs).
    /// </summary>
    private WriteAheadLogOperationException? _undecided;

    /// <summary>The stream version where the grain's version 0 begins (0 until the grain's log is first cleared).</summary>
    private long _origin;

    /// <summary>The stream version of the newest checkpoint (stream terms, like the engine's).</summary>
    private long _checkpointVersion;
    private long _bytesSinceCheckpoint;

    public WriteAheadLogViewAdaptor(ILogViewAdaptorHost<TView, TEntry> host, TView initialState, ILogConsistencyProtocolServices services, JournalSettings settings)
        : base(host, initialState, services)
    {
        _settings = settings;
        _streamHash = CheckpointSchedule.StableHash(settings.StreamId);
        _batchOverhead = 48 + System.Text.Encoding.UTF8.GetByteCount(settings.StreamId);
    }

    /// <inheritdoc />
    protected override TView LastConfirmedView() => _confirmed;

    /// <inheritdoc />
    protected override int GetConfirmedVersion() => _version;

    /// <inheritdoc />
    protected override void InitializeConfirmedView(TView initialstate)
    {
        _confirmed = initialstate;
        _version = 0;
    }

    /// <summary>Loads the grain (checkpoint + later events) during activation; an unreadable value fails the activation.</summary>
    public override async Task PreOnActivate()
    {
        long started = Stopwatch.GetTimestamp();
        int replayed = await LoadAsync().ConfigureAwait(false);
        WalProviderInstruments.JournalLoaded(_settings.Provider, Stopwatch.GetElapsedTime(started).TotalSeconds, replayed);
    }

    /// <inheritdoc />
    /// <remarks>A refusal that deactivated the activation is not retried: it fails the work cycle, and <c>Synchronize</c>
    /// (<c>RefreshNow</c>) throws it.</remarks>
    protected override async Task ReadAsync()
    {
        while (true)
        {
            try
            {
                await RefreshAsync().ConfigureAwait(false);
                LastPrimaryIssue.Resolve(Host, Services);
                return;
            }
            catch (Exception ex)
            {
                LastPrimaryIssue.Record(new WriteAheadLogReadFailed { Exception = ex }, Host, Services);
                if (EndsActivation(ex))
                {
                    throw;
                }
            }

            await LastPrimaryIssue.DelayBeforeRetry().ConfigureAwait(false);
        }
    }

    /// <summary>Refreshes from the log, retrying with Orleans's growing delay while the read fails; never resolves the issue.
    /// A refusal that deactivated the activation is thrown, not retried.</summary>
    private async Task RefreshKeepingIssueAsync()
    {
        while (true)
        {
            try
            {
                await RefreshAsync().ConfigureAwait(false);
                return;
            }
            catch (Exception ex)
            {
                LastPrimaryIssue.Record(new WriteAheadLogReadFailed { Exception = ex }, Host, Services);
                if (EndsActivation(ex))
                {
                    throw;
                }
            }

            await LastPrimaryIssue.DelayBeforeRetry().ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    /// <remarks>
    /// The batch is one atomic append when it fits in one record of the log (MaxRecordSizeBytes); a larger batch is
    /// appended in consecutive parts, each atomic, all before the method returns, so <c>ConfirmEvents</c> still completes
    /// only when every raised event is durable. Orleans's <c>ConfirmEvents</c> waits for one write cycle: once a part is
    /// stored, a later part that fails is retried here (after a refresh and Orleans's retry delay) until it is stored,
    /// unless the refresh shows another writer moved the stream on (then the rest goes back to Orleans, as a conflict).
    /// A refused or failed append keeps its connection issue recorded until an append succeeds, so the retry delay grows.
    /// A refusal that deactivated the activation ends the write cycle instead (<see cref="Abandon"/>): <c>ConfirmEvents</c>
    /// throws it, or an outcome-unknown error when part of the batch may be stored.
    /// An append of unknown outcome (it may be stored) is appended again only once the refresh after it shows it was not
    /// stored; when the stream cannot tell, the write cycle ends with an outcome-unknown error and the activation stores
    /// nothing more (WriteAheadLogViewAdaptor.InDoubt.cs): never the same events twice.
    /// </remarks>
    protected override async Task<int> WriteAsync()
    {
        EncodedSubmission<TEntry>[] batch = GetCurrentBatchOfUpdates();
        if (_refused is not null)
        {
            throw Abandon(0, batch.Length);
        }

        ThrowIfUndecided();
        int written = 0;
        while (written < batch.Length)
        {
            int count = FittingPrefix(batch, written, _settings.MaxRecordSizeBytes - _batchOverhead);
            var records = new ReadOnlyMemory<byte>[count];
            long bytes = 0;
            for (int i = 0; i < count; i++)
            {
                records[i] = batch[written + i].Record;
                bytes += records[i].Length;
            }

            AppendResult appended;
            try
            {
                appended = await (await _settings.GetLogAsync().ConfigureAwait(false)).AppendAsync(_settings.StreamId, _origin + _version, records).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                // The issue stays recorded until an append succeeds, so Orleans's retry delay grows while the log keeps
                // refusing (a refresh that resolved it made every retry immediate: a busy loop on a read-only or full
                // disk). A version conflict is retried at once, after the refresh, as Orleans does.
                LastPrimaryIssue.Record(new WriteAheadLogWriteFailed { Exception = ex }, Host, Services);
                long expected = _origin + _version;
                if (!StoredNothing(ex))
                {
                    _pendingMayBeStored = true;
                    _inDoubt.Add(expected, records);
                }

                if (EndsActivation(ex))
                {
                    throw Abandon(written, batch.Length);
                }

                if (ex is not StreamVersionConflictException)
                {
                    await DelayBeforeRetryAsync(ex, written, batch.Length).ConfigureAwait(false);
                }

                try
                {
                    await RefreshKeepingIssueAsync().ConfigureAwait(false);
                }
                catch (WriteAheadLogUnavailableException refused) when (ReferenceEquals(refused, _refused))
                {
                    throw Abandon(written, batch.Length);
                }

                // An append of unknown outcome may be in the view now (the refresh applied what the stream holds): the
                // batch goes back to Orleans, or on to its next part, only once the stream shows it was not stored.
                if (_inDoubt.Any && !await InDoubtNotStoredAsync().ConfigureAwait(false))
                {
                    throw Undecided(written, batch.Length, ex);
                }

                if (written == 0)
                {
                    return 0; // nothing of the batch stored: Orleans retries it (conditional events checked again)
                }

                // Part of the batch is durable: store the rest before returning, or ConfirmEvents would complete with raised
                // events not yet durable (Orleans ends the write cycle on a partial count and does not start another).
                // After another writer moved the stream on, unconditional events go after its events, as Orleans would
                // retry them; a conditional event left in the batch is given back to Orleans with the part written, and
                // checked at the grain's next write or confirmation (docs/orleans.md, "Limits today").
                if (_origin + _version != expected && HasConditional(batch, written))
                {
                    return written;
                }

                continue;
            }

            LastPrimaryIssue.Resolve(Host, Services);
            _inDoubt.Clear(); // stored at the version every attempt in doubt expected: none of them can be stored now
            WalProviderInstruments.EventsAppended(_settings.Provider, count);
            for (int i = 0; i < count; i++)
            {
                Apply(_confirmed, batch[written + i].Entry!, nameof(WriteAsync));
            }

            _version = checked((int)(appended.LastVersion - _origin));
            _bytesSinceCheckpoint += bytes;
            written += count;
        }

        _pendingMayBeStored = false;
        if (_settings.Checkpoints.IsDue(_streamHash, _origin + _version, _checkpointVersion, _bytesSinceCheckpoint))
        {
            await CheckpointAsync().ConfigureAwait(false);
        }

        return written;
    }

    /// <summary>
    /// Orleans's growing retry delay before an append the log refused or failed is tried again. When the silo's log itself
    /// refused or failed it (a <see cref="WalException"/>: a full device, a failed log, which only space or a restart
    /// mends), the delay is cut short once the silo is about to deactivate its grains to stop
    /// (<see cref="SiloLog.GrainsStopping"/>): then the append is not retried, and the provider's error (naming the cause,
    /// and how much of the batch was stored) fails the write cycle, so <c>ConfirmEvents</c> throws (Orleans wraps it in its
    /// protocol error) and the grain can deactivate. Retrying would hold the grain's deactivation, and the silo's graceful
    /// stop, until Orleans's 30 s deactivation timeout. Other errors (a cluster's retryable ones) keep Orleans's retries.
    /// </summary>
    private async Task DelayBeforeRetryAsync(Exception failure, int written, int total)
    {
        CancellationToken stopping = failure is WalException ? _settings.Log.GrainsStopping : CancellationToken.None;
        if (!stopping.IsCancellationRequested)
        {
            await Task.Delay(LastPrimaryIssue.Issue?.RetryDelay ?? TimeSpan.Zero, stopping).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        if (stopping.IsCancellationRequested)
        {
            string operation = written == 0
                ? $"Appending {_settings.What} (not retried: the silo is stopping)"
                : $"Appending {_settings.What} (not retried: the silo is stopping; {written} of the batch's {total} events were stored before)";
            throw LogErrors.Translate(failure, operation, _settings.StreamId) is WriteAheadLogOperationException { OutcomeUnknown: false } refused && written == 0
                ? refused
                : new WriteAheadLogOperationException(operation, _settings.StreamId, outcomeUnknown: true, failure);
        }
    }

    /// <inheritdoc />
    public override async Task<IReadOnlyList<TEntry>> RetrieveLogSegment(int fromVersion, int toVersion)
    {
        if (toVersion <= fromVersion)
        {
            return [];
        }

        IReadOnlyList<StoredEvent> stored;
        try
        {
            stored = await (await _settings.GetLogAsync().ConfigureAwait(false)).ReadEventsAsync(_settings.StreamId, _origin + fromVersion + 1, _origin + toVersion).ConfigureAwait(false);
        }
        catch (EventsReclaimedException reclaimed)
        {
            throw new EventHistoryReclaimedException($"grain {Services.GrainId}", _settings.StreamId, fromVersion, reclaimed.OldestAvailableVersion - _origin, _settings.History, reclaimed);
        }
        catch (Exception ex) when (LogErrors.Translate(ex, $"Reading {_settings.What}", _settings.StreamId, reading: true) is { } translated)
        {
            throw translated;
        }

        var entries = new TEntry[stored.Count];
        for (int i = 0; i < stored.Count; i++)
        {
            entries[i] = DecodeEvent(stored[i]);
        }

        return entries;
    }

    /// <summary>
    /// Clears the grain's log (<c>ClearLogAsync</c>): a reset record becomes the stream's checkpoint at its current version
    /// (where the grain's version 0 begins again), then every older record is erased, so no read reaches the old events
    /// or state and compaction drops their bytes. Orleans then starts the grain over from its initial state.
    /// </summary>
    protected override async Task ClearPrimaryLogAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ThrowIfRefused();
        long streamVersion = _origin + _version;
        IEventLog log = await _settings.GetLogAsync().ConfigureAwait(false);
        try
        {
            StreamInfo info = log.GetStreamInfo(_settings.StreamId);
            if (info.Version != streamVersion)
            {
                throw new InconsistentStateException(
                    $"Clearing {_settings.What} refused: the stream is at version {info.Version}, this activation at {streamVersion} (another activation wrote); nothing was cleared.",
                    info.Version.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    streamVersion.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }

            if (streamVersion > 0)
            {
                await log.WriteCheckpointAsync(_settings.StreamId, streamVersion, ValueCodecs.JournalReset(streamVersion), CancellationToken.None).ConfigureAwait(false);
                await log.DeleteEventsToAsync(_settings.StreamId, streamVersion, CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (LogErrors.Translate(ex, $"Clearing {_settings.What}", _settings.StreamId) is { } translated)
        {
            throw translated;
        }

        _origin = streamVersion;
        _checkpointVersion = streamVersion;
        _bytesSinceCheckpoint = 0;
        _viewMissesAnEvent = false;
    }

    /// <summary>Brings the confirmed view up to the stream: the events after the confirmed version, or a full load.</summary>
    private async Task RefreshAsync()
    {
        ThrowIfRefused();
        IEventLog log = await _settings.GetLogAsync().ConfigureAwait(false);
        StreamInfo info = log.GetStreamInfo(_settings.StreamId);
        long streamVersion = _origin + _version;
        if (info.Version == streamVersion && !info.IsDeleted)
        {
            return;
        }

        if (info.Version > streamVersion && info.CheckpointVersion <= streamVersion)
        {
            try
            {
                IReadOnlyList<StoredEvent> newer = await log.ReadEventsAsync(_settings.StreamId, streamVersion + 1, info.Version).ConfigureAwait(false);
                foreach (StoredEvent stored in newer)
                {
                    Apply(_confirmed, DecodeEvent(stored), nameof(RefreshAsync));
                    _bytesSinceCheckpoint += stored.Payload.Length;
                    _version = checked((int)(stored.Version - _origin));
                }

                return;
            }
            catch (EventsReclaimedException)
            {
                // Reclaimed meanwhile: load from the newest checkpoint below.
            }
        }

        await LoadAsync().ConfigureAwait(false);
    }

    private async Task CheckpointAsync()
    {
        if (_viewMissesAnEvent)
        {
            Services.Log(LogLevel.Warning, "checkpoint of {0} at version {1} skipped: the grain's state transition threw on an event, so the confirmed state is incomplete; the events stay the record and are replayed at the next activation", _settings.What, _version);
            return;
        }

        try
        {
            long streamVersion = _origin + _version;
            byte[] snapshot = _settings.Codecs.Encode(LogValueKind.Snapshot, _confirmed, $"the confirmed state of {_settings.What}", _settings.StreamId, _origin == 0 ? null : _origin);
            await (await _settings.GetLogAsync().ConfigureAwait(false)).WriteCheckpointAsync(_settings.StreamId, streamVersion, snapshot).ConfigureAwait(false);
            _checkpointVersion = streamVersion;
            _bytesSinceCheckpoint = 0;
            WalProviderInstruments.CheckpointWritten(_settings.Provider);
        }
        catch (Exception ex) when (ex is WriteAheadLogProviderException or WalException)
        {
            // The events are durable: a missing checkpoint only makes the next activation replay more of them.
            WalProviderInstruments.CheckpointFailed(_settings.Provider);
            Services.Log(LogLevel.Warning, "checkpoint of {0} at version {1} failed; the events stay durable and are replayed at activation: {2}", _settings.What, _version, ex.Message);
        }
    }

    private TEntry DecodeEvent(StoredEvent stored)
    {
        LogValueRecord record = ValueCodecs.Parse(stored.Payload, _settings.What, _settings.StreamId, stored.Version);
        if (record.Kind != LogValueKind.Event)
        {
            throw new ValueDeserializationException(_settings.What, _settings.StreamId, stored.Version, typeof(TEntry).FullName ?? typeof(TEntry).Name, record.Codec, $"the journal holds a record of kind {record.Kind}, not an event", null);
        }

        return _settings.Codecs.Decode<TEntry>(record, _settings.What, _settings.StreamId, stored.Version);
    }

    private void Apply(TView view, TEntry entry, string where)
    {
        try
        {
            Host.UpdateView(view, entry);
        }
        catch (Exception ex)
        {
            _viewMissesAnEvent = true;
            Services.CaughtUserCodeException("UpdateView", where, ex);
        }
    }
}
