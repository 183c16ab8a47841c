using Actors.Wal;

namespace Actors.Replication.Wal.EventLog;

/// <summary>
/// A partition's <see cref="IEventLog"/> on its replication leader: every write is proposed as one replicated entry and
/// completes only when the entry is acknowledged (durable on every in-sync replica) and applied to the local,
/// materialized log, whose answer (or deterministic refusal) it returns. Reads are served by the materialized log.
/// </summary>
/// <remarks>
/// <para>Write outcomes: the local log's result; a refusal the local log gave (<see cref="StreamVersionConflictException"/>,
/// a <see cref="RequestRejectedException"/>: nothing changed on any replica); <see cref="NotLeaderException"/> (this
/// replica does not lead: nothing appended); <see cref="AppendOutcomeUnknownException"/> (appended but not acknowledged:
/// read the stream before retrying; a write with an expected version is safe to retry, a duplicate fails as a
/// conflict); <see cref="ReplicaHostFailedException"/>.</para>
/// <para>Group commit: writes that arrive while <c>maxEntriesInFlight</c> entries are replicating wait and go together in
/// the next entry (<see cref="ReplicatedOperationBatch"/>), so under concurrent writers one entry, one round of messages
/// and one fsync per replica carry many writes. Every replica applies an entry's writes in order.</para>
/// <para>Reads after a failover: call <see cref="CatchUpAsync"/> on the new leader before serving, so the materialized log
/// holds every entry the replica held when it took over (which includes every acknowledged one).</para>
/// <para>Every write of <see cref="IEventLog"/> is replicated; space management, compaction and the change feed belong to the
/// materialized log (use <see cref="SyncPolicy.None"/> for it: durability comes from the replicated entry log, and a
/// restarted replica rebuilds it).</para>
/// </remarks>
public sealed class ReplicatedEventLog : IEventLog
{
    /// <summary>The default of the most entries proposed and not yet acknowledged at once: 2 (one replicating while the next fills).</summary>
    public const int DefaultMaxEntriesInFlight = 2;

    /// <summary>The default of the most payload bytes one entry collects from several writes: 128 KiB (a larger write is an entry alone).</summary>
    public const int DefaultMaxBatchBytes = 128 * 1024;

    private readonly ReplicaHost _host;
    private readonly CommittedEntryApplier _applier;
    private readonly int _maxEntriesInFlight;
    private readonly int _maxBatchBytes;
    private readonly Lock _gate = new();
    private readonly Queue<(Guid OperationId, byte[] Encoded)> _queued = new();
    private readonly Action _proposeQueued;
    private readonly ProposedWritePool _completions = new();
    private int _entriesInFlight;
    private bool _drainScheduled;
    private long _writesProposed;
    private long _entriesProposed;
    private volatile bool _disposed;

    /// <summary>Creates the log over <paramref name="host"/> and its running <paramref name="applier"/> (which owns the materialized log).</summary>
    /// <param name="host">The replica this log proposes through.</param>
    /// <param name="applier">Applies committed entries to the materialized log (and completes the writes).</param>
    /// <param name="maxEntriesInFlight">The most entries proposed and not yet acknowledged at once; writes arriving meanwhile
    /// wait and go together in the next entry (the leader's group commit). Default <see cref="DefaultMaxEntriesInFlight"/>.</param>
    /// <param name="maxBatchBytes">The most payload bytes of one entry that carries several writes. Default <see cref="DefaultMaxBatchBytes"/>.</param>
    public ReplicatedEventLog(ReplicaHost host, CommittedEntryApplier applier, int maxEntriesInFlight = DefaultMaxEntriesInFlight, int maxBatchBytes = DefaultMaxBatchBytes)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(applier);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxEntriesInFlight, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatchBytes, 1);
        _host = host;
        _applier = applier;
        _maxEntriesInFlight = maxEntriesInFlight;
        _maxBatchBytes = maxBatchBytes;
        _proposeQueued = ProposeQueued;
    }

    /// <summary>Writes proposed through this log so far.</summary>
    public long WritesProposed => Interlocked.Read(ref _writesProposed);

    /// <summary>Replicated entries those writes went out in (fewer than the writes when several waited for the same entry).</summary>
    public long EntriesProposed => Interlocked.Read(ref _entriesProposed);

    /// <inheritdoc />
    public long WrittenLsn => _applier.Local.WrittenLsn;

    /// <inheritdoc />
    public long DurableLsn => _applier.Local.DurableLsn;

    /// <summary>Waits until the materialized log holds every entry this leader holds now (call after taking over, before serving reads).</summary>
    /// <exception cref="NotLeaderException">This replica does not lead.</exception>
    public Task CatchUpAsync(CancellationToken cancellationToken = default)
    {
        var status = _host.Status;
        if (!status.IsLeader)
        {
            throw new NotLeaderException(_host.Id, status.Epoch, status.Leader);
        }

        return _applier.WaitAppliedAsync(status.EndLsn, cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>
    /// Without a cancellation token, the returned task is the proposal's pooled completion itself (no state machine, no
    /// task): await it once. Every refusal is the returned task's, never thrown by the call.
    /// </remarks>
    public ValueTask<AppendResult> AppendAsync(
        string streamId, long expectedVersion, IReadOnlyList<ReadOnlyMemory<byte>> events, CancellationToken cancellationToken = default)
    {
        if (cancellationToken.CanBeCanceled)
        {
            return AppendCancellableAsync(streamId, expectedVersion, events, cancellationToken);
        }

        try
        {
            ValidateAppend(streamId, expectedVersion, events);
            return Propose(ReplicatedOperationKind.Append, streamId, expectedVersion, events, cancellationToken).AsAppendTask();
        }
        catch (Exception exception)
        {
            return ValueTask.FromException<AppendResult>(exception);
        }
    }

    private async ValueTask<AppendResult> AppendCancellableAsync(
        string streamId, long expectedVersion, IReadOnlyList<ReadOnlyMemory<byte>> events, CancellationToken cancellationToken)
    {
        ValidateAppend(streamId, expectedVersion, events);
        var completion = Propose(ReplicatedOperationKind.Append, streamId, expectedVersion, events, cancellationToken);
        return await completion.AsAppendTask().AsTask().WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private void ValidateAppend(string streamId, long expectedVersion, IReadOnlyList<ReadOnlyMemory<byte>> events)
    {
        ThrowIfDisposed();
        StreamId.Validate(streamId);
        ArgumentNullException.ThrowIfNull(events);
        if (events.Count == 0)
        {
            throw new ArgumentException("A batch needs at least one event.", nameof(events));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(expectedVersion, ExpectedVersion.Any);
    }

    /// <inheritdoc />
    public async ValueTask<CheckpointResult> WriteCheckpointAsync(string streamId, long version, ReadOnlyMemory<byte> state, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        StreamId.Validate(streamId);
        return (CheckpointResult)await ProposeAsync(ReplicatedOperationKind.Checkpoint, streamId, version, [state], cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<AppendResult> DeleteStreamAsync(string streamId, long expectedVersion, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        StreamId.Validate(streamId);
        return (AppendResult)await ProposeAsync(ReplicatedOperationKind.DeleteStream, streamId, expectedVersion, [], cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<EraseResult> DeleteEventsToAsync(string streamId, long toVersion, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        StreamId.Validate(streamId);
        return (EraseResult)await ProposeAsync(ReplicatedOperationKind.EraseEvents, streamId, toVersion, [], cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>
    /// Replicated like every write, selected by version only: each replica stamps a record with its own clock when it
    /// applies it (a restarted replica when it rebuilds its materialized log), so a write-time bound could select different
    /// checkpoints on different replicas.
    /// </remarks>
    /// <exception cref="NotSupportedException"><paramref name="criteria"/> has a write-time bound; nothing was proposed.</exception>
    public async ValueTask<CheckpointDeletionResult> DeleteCheckpointsAsync(string streamId, CheckpointSelectionCriteria criteria, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        StreamId.Validate(streamId);
        ArgumentNullException.ThrowIfNull(criteria);
        if (criteria.MinTimestamp is not null || criteria.MaxTimestamp is not null)
        {
            throw new NotSupportedException(
                $"Deleting checkpoints of stream '{streamId}' by write time is not supported by the replicated log: each replica stamps records with its own clock, "
                + "so a time bound could select different checkpoints on different replicas. Select them by version (MinVersion, MaxVersion).");
        }

        var maxVersion = new byte[sizeof(long)];
        System.Buffers.Binary.BinaryPrimitives.WriteInt64LittleEndian(maxVersion, criteria.MaxVersion);
        return (CheckpointDeletionResult)await ProposeAsync(ReplicatedOperationKind.DeleteCheckpoints, streamId, criteria.MinVersion, [maxVersion], cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>
    /// Bounded by version only: a replicated entry carries no timestamp, so each replica stamps a record with its own clock
    /// when it applies it (a restarted replica, or a follower that became leader, when it rebuilds its materialized log),
    /// and a write-time bound would read a different state on different replicas, or after a failover, without notice.
    /// </remarks>
    /// <exception cref="NotSupportedException"><paramref name="bound"/> is a write-time bound (<see cref="ReadBound.AtTime"/>).</exception>
    public ValueTask<StreamReadResult> ReadStreamAsync(string streamId, ReadBound bound = default, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        if (bound.AsOf is { } asOf)
        {
            throw new NotSupportedException(
                $"Reading stream '{streamId}' as of a write time ({asOf:O}) is not supported by the replicated log: each replica stamps records with its own clock "
                + "when it applies them (a rebuilt replica with the time of the rebuild), so the state as of a time could differ between replicas and after a failover. "
                + "Read as of a version (ReadBound.AtVersion).");
        }

        return _applier.Local.ReadStreamAsync(streamId, bound, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<StoredEvent>> ReadEventsAsync(string streamId, long fromVersion, long toVersion, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        return _applier.Local.ReadEventsAsync(streamId, fromVersion, toVersion, cancellationToken);
    }

    /// <inheritdoc />
    public IAsyncEnumerable<StoredEvent> ReadStreamEventsAsync(string streamId, long fromVersion = 1, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        return _applier.Local.ReadStreamEventsAsync(streamId, fromVersion, cancellationToken);
    }

    /// <inheritdoc />
    public StreamInfo GetStreamInfo(string streamId)
    {
        ThrowIfDisposed();
        return _applier.Local.GetStreamInfo(streamId);
    }

    /// <summary>
    /// A completed write is already durable on every in-sync replica; this also syncs the materialized log, so
    /// <see cref="DurableLsn"/> covers every write that completed before the call (a materialized log on
    /// <see cref="SyncPolicy.None"/> otherwise syncs only at its own rotations).
    /// </summary>
    public ValueTask FlushAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        return _applier.Local.FlushAsync(cancellationToken);
    }

    /// <inheritdoc />
    public LogStatistics GetStatistics() => _applier.Local.GetStatistics();

    /// <summary>
    /// Closes this view of the partition: later calls throw <see cref="ObjectDisposedException"/>. Nothing else is released:
    /// the host, the applier and the materialized log belong to their creator, and writes already proposed still complete.
    /// </summary>
    public ValueTask DisposeAsync()
    {
        _disposed = true;
        return ValueTask.CompletedTask;
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);

    /// <summary>Proposes a write other than an append (<see cref="Propose"/>) and returns its outcome, boxed.</summary>
    private ValueTask<object> ProposeAsync(
        ReplicatedOperationKind kind, string streamId, long version, IReadOnlyList<ReadOnlyMemory<byte>> items, CancellationToken cancellationToken)
    {
        var completion = Propose(kind, streamId, version, items, cancellationToken);
        return cancellationToken.CanBeCanceled
            ? new ValueTask<object>(completion.AsResultTask().AsTask().WaitAsync(cancellationToken))
            : completion.AsResultTask();
    }

    /// <summary>
    /// Queues one write for the next entry and returns its completion (awaited once: the applier's result, or the typed
    /// failure).
    /// </summary>
    private ProposedWrite Propose(
        ReplicatedOperationKind kind, string streamId, long version, IReadOnlyList<ReadOnlyMemory<byte>> items, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var operationId = OperationIds.Next();
        var encoded = ReplicatedOperation.Encode(kind, operationId, streamId, version, items);
        var applied = _completions.Rent();
        _applier.Expect(operationId, applied);
        Interlocked.Increment(ref _writesProposed);
        bool drain;
        lock (_gate)
        {
            _queued.Enqueue((operationId, encoded));
            drain = ShouldScheduleDrainLocked();
        }

        if (drain)
        {
            ScheduleDrain();
        }

        return applied;
    }

    /// <summary>
    /// Whether to schedule a drain now: writes wait, no drain is scheduled, and fewer than the maximum entries are in
    /// flight. The drain runs on the host's driver loop when it next gets there, so writes queued by the callers that run
    /// meanwhile join its entry.
    /// </summary>
    private bool ShouldScheduleDrainLocked()
    {
        if (_drainScheduled || _queued.Count == 0 || _entriesInFlight >= _maxEntriesInFlight)
        {
            return false;
        }

        _drainScheduled = true;
        return true;
    }

    /// <summary>
    /// Runs the drain on the host's driver loop, where its entries are proposed in the same burst (one wake-up of the loop,
    /// no thread-pool hop before it); on the thread pool when the loop stopped (the host then refuses the entries).
    /// </summary>
    private void ScheduleDrain()
    {
        if (!_host.TryRunOnDriverLoop(_proposeQueued))
        {
            ThreadPool.UnsafeQueueUserWorkItem(static log => log.ProposeQueued(), this, preferLocal: false);
        }
    }

    /// <summary>
    /// Proposes the queued writes as entries of up to the size limit each, while fewer than the maximum are in flight.
    /// Each entry is handed to the host under the lock, so entries reach it in the order their writes were queued (the
    /// host takes the payload, without a copy, and queues it). Runs on the host's driver loop (<see cref="ScheduleDrain"/>): it never
    /// blocks, and what it proposes the loop takes in the same burst.
    /// </summary>
    private void ProposeQueued()
    {
        lock (_gate)
        {
            _drainScheduled = false;
        }

        while (true)
        {
            Task<ReplicatedAppendResult> append;
            var batch = new List<(Guid OperationId, byte[] Encoded)>();
            lock (_gate)
            {
                if (_entriesInFlight >= _maxEntriesInFlight)
                {
                    return;
                }

                long size = 0;
                while (_queued.TryPeek(out var next)
                    && (batch.Count == 0 || ReplicatedOperationBatch.SizeOf(batch.Count + 1, size + next.Encoded.Length) <= _maxBatchBytes))
                {
                    batch.Add(_queued.Dequeue());
                    size += next.Encoded.Length;
                }

                if (batch.Count == 0)
                {
                    return;
                }

                _entriesInFlight++;
                _entriesProposed++;
                // The payload passes to the host without a copy: an encoded write's array is never written after it was
                // encoded (the batch keeps only its operation id's use), and a batch's array is new.
                var payload = batch.Count == 1 ? batch[0].Encoded : ReplicatedOperationBatch.Encode(batch);
                append = _host.AppendContinuingInline(payload);
            }

            _ = AwaitAcknowledgedAsync(append, batch);
        }
    }

    /// <summary>
    /// When the entry is acknowledged, its writes complete as the applier applies them; when it is not, each write fails
    /// with the host's typed exception. Either way the next queued writes may go.
    /// </summary>
    /// <remarks>
    /// Runs on the thread that answers the append (<see cref="ReplicaHost.AppendContinuingInline"/>: mostly the host's
    /// driver loop), so it never blocks and never calls the host: failing a write completes a task whose continuations
    /// run asynchronously, the lock guards a few fields, and the next drain is queued to the thread pool.
    /// </remarks>
    private async Task AwaitAcknowledgedAsync(Task<ReplicatedAppendResult> append, List<(Guid OperationId, byte[] Encoded)> batch)
    {
        try
        {
            await append.ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            foreach (var (operationId, _) in batch)
            {
                _applier.Fail(operationId, exception);
            }
        }

        bool drain;
        lock (_gate)
        {
            _entriesInFlight--;
            drain = ShouldScheduleDrainLocked();
        }

        // Scheduled rather than run here (where the host may be answering inside its replica's step): the writes of
        // callers that run meanwhile join the next entry.
        if (drain)
        {
            ScheduleDrain();
        }
    }
}
