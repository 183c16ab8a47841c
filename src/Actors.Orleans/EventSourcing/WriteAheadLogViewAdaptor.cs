using System.Diagnostics;
using Actors.Orleans.Codecs;
using Actors.Orleans.Diagnostics;
using Actors.Orleans.Log;
using Actors.Orleans.Storage;
using Actors.Wal;
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
/// (<see cref="ActivationRefusal"/>).</para>
/// <para>Its collaborators each own their state: <see cref="JournalEventCodec{TEntry}"/> (events encoded when raised,
/// decoded when read, batches cut into appends), <see cref="JournalReader{TView, TEntry}"/> (loads and ranges of events
/// read from the stream), <see cref="ActivationRefusal"/> (what ends the activation's storage),
/// <see cref="InDoubtAppends"/> (appends of unknown outcome) and <see cref="JournalCheckpoints"/> (when and where
/// checkpoints are written). The adaptor owns the confirmed view and where it stands in the stream.</para>
/// </remarks>
internal sealed class WriteAheadLogViewAdaptor<TView, TEntry> : PrimaryBasedLogViewAdaptor<TView, TEntry, EncodedSubmission<TEntry>>, ILogViewAdaptor<TView, TEntry>
    where TView : class, new()
    where TEntry : class
{
    private readonly JournalSettings _settings;
    private readonly JournalEventCodec<TEntry> _codec;
    private readonly JournalReader<TView, TEntry> _reader;
    private readonly ActivationRefusal _refusal;

    /// <summary>The appends of the pending events whose outcome is unknown and not yet decided.</summary>
    private readonly InDoubtAppends _inDoubt = new();
    private readonly JournalCheckpoints _checkpoints;

    private TView _confirmed = null!;
    private int _version;

    /// <summary>The stream version where the grain's version 0 begins (0 until the grain's log is first cleared).</summary>
    private long _origin;

    /// <summary>
    /// True while the confirmed view misses an event the grain's <c>TransitionState</c> threw on (Orleans logs and skips
    /// it): no checkpoint is written then, so the events stay the record and a corrected grain rebuilds its state from them
    /// (a checkpoint would make the skipped event's effect lost for good). Cleared by a load or a clear.
    /// </summary>
    private bool _viewMissesAnEvent;

    public WriteAheadLogViewAdaptor(ILogViewAdaptorHost<TView, TEntry> host, TView initialState, ILogConsistencyProtocolServices services, JournalSettings settings)
        : base(host, initialState, services)
    {
        _settings = settings;
        _codec = new JournalEventCodec<TEntry>(settings);
        _reader = new JournalReader<TView, TEntry>(settings, _codec);
        _refusal = new ActivationRefusal(settings);
        _checkpoints = new JournalCheckpoints(settings, services);
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

    /// <inheritdoc />
    protected override EncodedSubmission<TEntry> MakeSubmissionEntry(TEntry entry)
        => new() { Entry = entry, Record = _codec.RecordOf(entry) };

    /// <summary>
    /// <c>RaiseEvents</c>: every event is encoded before any is submitted, so a range holding one that cannot be serialized
    /// is refused whole (Orleans submits a range one event at a time: the events before the bad one would stay raised).
    /// </summary>
    void ILogViewUpdate<TEntry>.SubmitRange(IEnumerable<TEntry> logEntries) => _codec.SubmitEncodedAhead(logEntries, SubmitRange);

    /// <summary><c>RaiseConditionalEvents</c>: refused whole, as <c>RaiseEvents</c>, when one event cannot be serialized.</summary>
    Task<bool> ILogViewUpdate<TEntry>.TryAppendRange(IEnumerable<TEntry> logEntries) => _codec.SubmitEncodedAhead(logEntries, TryAppendRange);

    /// <summary><c>ConfirmEvents</c>: Orleans's, with the refusal that ended the activation thrown as itself.</summary>
    Task ILogViewUpdate<TEntry>.ConfirmSubmittedEntries() => _refusal.ThrowingRefusal(ConfirmSubmittedEntries());

    /// <summary><c>RefreshNow</c>: Orleans's, with the refusal that ended the activation thrown as itself.</summary>
    Task ILogViewUpdate<TEntry>.Synchronize() => _refusal.ThrowingRefusal(Synchronize());

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
    protected override Task ReadAsync() => RefreshRetryingAsync(resolveIssue: true);

    /// <summary>
    /// Refreshes from the log, retrying with Orleans's growing delay while the read fails; once it succeeds, resolves the
    /// connection issue when <paramref name="resolveIssue"/> (a write cycle keeps it until an append succeeds). A refusal
    /// that deactivated the activation is thrown, not retried.
    /// </summary>
    private async Task RefreshRetryingAsync(bool resolveIssue)
    {
        while (true)
        {
            try
            {
                await RefreshAsync().ConfigureAwait(false);
                if (resolveIssue)
                {
                    LastPrimaryIssue.Resolve(Host, Services);
                }

                return;
            }
            catch (Exception ex)
            {
                LastPrimaryIssue.Record(new WriteAheadLogReadFailed { Exception = ex }, Host, Services);
                if (_refusal.EndsActivation(ex))
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
    /// A refusal that deactivated the activation ends the write cycle instead (<see cref="ActivationRefusal.Abandon"/>):
    /// <c>ConfirmEvents</c> throws it, or an outcome-unknown error when part of the batch may be stored.
    /// An append of unknown outcome (it may be stored) is appended again only once the refresh after it shows it was not
    /// stored; when the stream cannot tell, the write cycle ends with an outcome-unknown error and the activation stores
    /// nothing more (<see cref="InDoubtAppends"/>): never the same events twice.
    /// </remarks>
    protected override async Task<int> WriteAsync()
    {
        EncodedSubmission<TEntry>[] batch = GetCurrentBatchOfUpdates();
        if (_refusal.IsRefused)
        {
            throw _refusal.Abandon(0, batch.Length);
        }

        _refusal.ThrowIfUndecided();
        int written = 0;
        while (written < batch.Length)
        {
            int count = _codec.FittingPrefix(batch, written);
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
                if (!_refusal.StoredNothing(ex))
                {
                    _refusal.PendingMayBeStored();
                    _inDoubt.Add(expected, records);
                }

                if (_refusal.EndsActivation(ex))
                {
                    throw _refusal.Abandon(written, batch.Length);
                }

                if (ex is not StreamVersionConflictException)
                {
                    await AppendRetryDelay.WaitAsync(_settings, LastPrimaryIssue.Issue?.RetryDelay ?? TimeSpan.Zero, ex, written, batch.Length).ConfigureAwait(false);
                }

                try
                {
                    await RefreshRetryingAsync(resolveIssue: false).ConfigureAwait(false);
                }
                catch (WriteAheadLogUnavailableException refused) when (_refusal.IsTheRefusal(refused))
                {
                    throw _refusal.Abandon(written, batch.Length);
                }

                // An append of unknown outcome may be in the view now (the refresh applied what the stream holds): the
                // batch goes back to Orleans, or on to its next part, only once the stream shows it was not stored.
                if (_inDoubt.Any && !await _inDoubt.NoneStoredAsync(_settings, _origin + _version).ConfigureAwait(false))
                {
                    throw _refusal.Undecided(written, batch.Length, _inDoubt.ExpectedVersion, ex, (Host as IGrainBase)?.GrainContext);
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
                if (_origin + _version != expected && JournalEventCodec<TEntry>.HasConditional(batch, written))
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
            _checkpoints.Added(bytes);
            written += count;
        }

        _refusal.PendingStored();
        if (_checkpoints.IsDue(_origin + _version))
        {
            await _checkpoints.WriteAsync(_confirmed, _origin, _version, _viewMissesAnEvent).ConfigureAwait(false);
        }

        return written;
    }

    /// <inheritdoc />
    public override async Task<IReadOnlyList<TEntry>> RetrieveLogSegment(int fromVersion, int toVersion)
    {
        return toVersion <= fromVersion ? [] : await _reader.ReadEventsAsync(_origin, fromVersion, toVersion).ConfigureAwait(false);
    }

    /// <summary>
    /// Clears the grain's log (<c>ClearLogAsync</c>): a reset record becomes the stream's checkpoint at its current version
    /// (where the grain's version 0 begins again), then every older record is erased, so no read reaches the old events
    /// or state and compaction drops their bytes. Orleans then starts the grain over from its initial state.
    /// </summary>
    protected override async Task ClearPrimaryLogAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        _refusal.ThrowIfRefused();
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
        _checkpoints.At(streamVersion);
        _viewMissesAnEvent = false;
    }

    /// <summary>Brings the confirmed view up to the stream: the events after the confirmed version, or a full load.</summary>
    private async Task RefreshAsync()
    {
        _refusal.ThrowIfRefused();
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
                    Apply(_confirmed, _codec.Decode(stored), nameof(RefreshAsync));
                    _checkpoints.Added(stored.Payload.Length);
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

    /// <summary>Reads the newest checkpoint and the events after it into the confirmed view; returns the events replayed.</summary>
    private async Task<int> LoadAsync()
    {
        StreamReadResult stream = await _reader.ReadForLoadAsync().ConfigureAwait(false);
        TView view;
        long origin = 0;
        _viewMissesAnEvent = false;
        if (stream.Checkpoint is { } checkpoint)
        {
            (view, origin) = _reader.DecodeCheckpoint(checkpoint, () => InitialState);
            _checkpoints.Found(checkpoint.Version);
        }
        else
        {
            view = InitialState;
            _checkpoints.Found(0);
        }

        long bytes = 0;
        foreach (StoredEvent stored in stream.Events)
        {
            Apply(view, _codec.Decode(stored), nameof(LoadAsync));
            bytes += stored.Payload.Length;
        }

        _confirmed = view;
        _origin = origin;
        _version = checked((int)((stream.Events.Count > 0 ? stream.Events[^1].Version : _checkpoints.Version) - origin));
        _checkpoints.Replayed(bytes);
        return stream.Events.Count;
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
