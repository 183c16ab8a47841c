using System.Collections.Concurrent;
using System.Threading.Channels;
using Actors.Replication.Configuration;
using Actors.Replication.Log;
using Actors.Replication.Messages;
using Actors.Replication.Options;
using Actors.Replication.Protocol;
using Actors.Replication.Wal.Checkpoints;
using Actors.Wal;
using Actors.Wal.Entries;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Actors.Replication.Wal;

/// <summary>
/// Runs one <see cref="Replica"/> of a partition log for real: a single driver loop owns the replica and its
/// <see cref="EntryLog"/> on disk, messages arrive through <see cref="Deliver"/>, time comes from a
/// <see cref="TimeProvider"/> timer, configuration reads and writes go to an <see cref="IReplicaConfigurationStore"/>,
/// and callers append with <see cref="AppendAsync"/>.
/// </summary>
/// <remarks>
/// <para>Group commit: the loop runs every queued action (messages, appends, store answers, ticks), then syncs the log
/// once for all of them and reports the sync to the replica, so one fsync covers every append of a burst; the appends
/// that reach the loop in one burst are proposed together (one local write, one request per follower).</para>
/// <para>What a completed <see cref="AppendAsync"/> guarantees: the entry is durable on this replica (the leader) and on
/// every replica of the in-sync set recorded in the store (docs/replication.md). Failures are typed:
/// <see cref="NotLeaderException"/> (rejected, nothing appended), <see cref="AppendOutcomeUnknownException"/> (appended,
/// not acknowledged: read before retrying), <see cref="ReplicaHostFailedException"/> (the replica stopped).</para>
/// <para>Thread safety: every public member may be called from any thread. The host owns the <see cref="EntryLog"/> it
/// is given and disposes it when stopped.</para>
/// </remarks>
public sealed partial class ReplicaHost : IAsyncDisposable
{
    private readonly IEntryLog _log;
    private readonly IReplicaConfigurationStore _store;
    private readonly IReplicationTransport _transport;
    private readonly ReplicaOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Channel<Action> _work = Channel.CreateUnbounded<Action>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentDictionary<long, TaskCompletionSource<ReplicatedAppendResult>> _appends = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly Environment _environment;
    private readonly DriverLoopPause _pause = new();
    private readonly PublishedReadLease _readLease;

    /// <summary>Appends waiting for the driver loop, in the order <see cref="AppendAsync"/> was called.</summary>
    private readonly ConcurrentQueue<Proposal> _proposals = new();

    /// <summary><see cref="ProposeQueued"/>, posted once per append (allocated once).</summary>
    private readonly Action _proposeQueued;
    private readonly CheckpointAssembler _assembler;
    private readonly CheckpointSender _checkpointSender = new();
    private readonly CheckpointFileWrite _checkpointWrite = new();
    private readonly RequestedCompaction _compaction = new();
    private Replica? _replica;
    private ITimer? _ticker;
    private Task _loop = Task.CompletedTask;
    private long _nextRequestId;
    private long? _pendingSyncToken;
    private readonly Action<PendingLogSync> _postSyncReport;
    private readonly CommittedReadWaiters _committedReads = new();
    private readonly Action<long, int, TaskCompletionSource<IReadOnlyList<LoggedEntry>>> _readCommitted;
    private volatile ReplicaStatus _status = ReplicaStatus.NotStarted;
    private volatile ReplicaHostFailedException? _failure;
    private readonly TaskCompletionSource _loopEnded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _stopped;
    private long _appendsProposed;
    private long _appendsAcknowledged;
    private long _entriesWritten;
    private long _syncs;
    private long _entriesWrittenAsLeader;
    private long _syncsAsLeader;
    private long _bursts;
    private long _messagesSent;
    private long _messagesReceived;
    private long _entriesSent;
    private long _checkpointsWritten;
    private long _segmentsDeleted;
    private long _checkpointsInstalled;
    private long _checkpointChunksSent;
    private long _checkpointTransfersRefused;
    private readonly long _startedAt;
    private ReplicaCheckpoint? _publishedCheckpoint;

    /// <summary>Creates the host of replica <paramref name="id"/> over <paramref name="log"/> (owned from now on); call <see cref="Start"/>.</summary>
    /// <param name="id">This replica.</param>
    /// <param name="log">Its log on disk, as opened (recovered): an <see cref="EntryLog"/> of its own or a log of a shared <see cref="Actors.Wal.Entries.Journal.EntryJournal"/>.</param>
    /// <param name="store">Where the partition's configuration lives.</param>
    /// <param name="transport">Carries messages to the other replicas.</param>
    /// <param name="options">Protocol timing; validated here.</param>
    /// <param name="time">The clock (ticks every half heartbeat interval).</param>
    /// <param name="logger">Diagnostics; none when null.</param>
    public ReplicaHost(
        ReplicaId id,
        IEntryLog log,
        IReplicaConfigurationStore store,
        IReplicationTransport transport,
        ReplicaOptions options,
        TimeProvider? time = null,
        ILogger<ReplicaHost>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(log);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(transport);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Id = id;
        _log = log;
        _store = store;
        _transport = transport;
        _options = options;
        _time = time ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _environment = new Environment(this);
        _readLease = new PublishedReadLease(_time, () => _status.IsLeader);
        _assembler = new CheckpointAssembler(id);
        _checkpointSender.ResendAfter = options.FollowerLagTimeout;
        _startedAt = _time.GetTimestamp();
        _proposeQueued = ProposeQueued;
        _postSyncReport = PostSyncReport;
        _readCommitted = ReadCommitted;
    }

    /// <summary>This replica.</summary>
    public ReplicaId Id { get; }

    /// <summary>The latest published snapshot of the replica.</summary>
    public ReplicaStatus Status => _status;

    /// <summary>Why the host stopped on its own, or null.</summary>
    public ReplicaHostFailedException? Failure => _failure;

    /// <summary>What this host has done since it started (exact counts; each read independently, so a snapshot taken under load may mix bursts).</summary>
    public ReplicaHostCounters Counters => new(
        Interlocked.Read(ref _appendsProposed),
        Interlocked.Read(ref _appendsAcknowledged),
        Interlocked.Read(ref _entriesWritten),
        Interlocked.Read(ref _syncs),
        Interlocked.Read(ref _bursts),
        Interlocked.Read(ref _messagesSent),
        Interlocked.Read(ref _messagesReceived),
        Interlocked.Read(ref _entriesSent),
        Interlocked.Read(ref _checkpointsWritten),
        Interlocked.Read(ref _segmentsDeleted),
        Interlocked.Read(ref _checkpointsInstalled),
        Interlocked.Read(ref _checkpointChunksSent),
        Interlocked.Read(ref _checkpointTransfersRefused),
        Interlocked.Read(ref _entriesWrittenAsLeader),
        Interlocked.Read(ref _syncsAsLeader));

    /// <summary>Loads the replica from its log (checkpoint, entries after it and entered epoch) and starts the driver loop and the clock.</summary>
    /// <exception cref="LogCorruptedException">A log record no longer reads back intact.</exception>
    /// <exception cref="ReplicationInvariantException">The log holds an epoch above the entered one.</exception>
    public void Start()
    {
        if (_replica is not null)
        {
            throw new InvalidOperationException($"Replica {Id} was already started.");
        }

        if (_log.TornBytesCutAtOpen > 0)
        {
            LogTornTail(_logger, Id, _log.TornBytesCutAtOpen, _log.EndLsn);
        }

        var stored = _log.Checkpoint;
        var checkpoint = stored.Lsn == 0 ? ReplicaCheckpoint.Empty : new ReplicaCheckpoint(stored.Lsn, stored.Epoch, stored.State);
        var entries = _log.Read(_log.StartLsn + 1, int.MaxValue).Select(e => new LogEntry(e.Epoch, e.Payload));
        _replica = new Replica(Id, checkpoint, _log.StartLsn + 1, entries, _log.EnteredEpoch, _environment, _time, _options);
        Post(_replica.Start);
        _loop = Task.Run(RunLoopAsync);
        var period = _options.HeartbeatInterval / 2;
        _ticker = _time.CreateTimer(_ => Post(_replica.Tick), null, period, period);
    }

    /// <summary>
    /// Appends <paramref name="payload"/> (copied) when this replica leads; completes when the entry is durable on every
    /// in-sync replica.
    /// </summary>
    /// <exception cref="NotLeaderException">This replica does not lead; nothing was appended.</exception>
    /// <exception cref="AppendOutcomeUnknownException">Appended but not acknowledged (leadership lost, or the host stopped).</exception>
    /// <exception cref="ReplicaHostFailedException">The host stopped on an error.</exception>
    public Task<ReplicatedAppendResult> AppendAsync(ReadOnlyMemory<byte> payload)
    {
        if (_failure is { } failure)
        {
            return Task.FromException<ReplicatedAppendResult>(failure);
        }

        Interlocked.Increment(ref _appendsProposed);
        var requestId = Interlocked.Increment(ref _nextRequestId);
        var completion = new TaskCompletionSource<ReplicatedAppendResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        _appends[requestId] = completion;
        _proposals.Enqueue(new Proposal(requestId, payload.ToArray()));
        if (!Post(_proposeQueued) && _appends.TryRemove(requestId, out _))
        {
            completion.TrySetException(new NotLeaderException(Id, _status.Epoch, null));
        }

        return completion.Task;
    }

    /// <summary>
    /// Reads committed entries from <paramref name="fromLsn"/> on (at most <paramref name="maxCount"/>), waiting until at
    /// least one is committed. On a leader and on followers alike, an entry returned here is acknowledged (or will be by
    /// any future leader): it is never truncated, so a consumer can apply the entries in LSN order to a materialized
    /// state (followers learn the commit point from the leader's next request, so they trail it slightly).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="fromLsn"/> is below 1 or <paramref name="maxCount"/> below 1.</exception>
    /// <exception cref="EntriesCheckpointedException"><paramref name="fromLsn"/> is at or below the replica's checkpoint (its
    /// own, or one taken from the leader): start over from <see cref="ReadCheckpointAsync"/>.</exception>
    /// <exception cref="ReplicaHostFailedException">The host stopped on an error.</exception>
    /// <exception cref="ObjectDisposedException">The host was stopped.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<IReadOnlyList<LoggedEntry>> ReadCommittedAsync(long fromLsn, int maxCount, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(fromLsn, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCount, 1);
        while (true)
        {
            if (_failure is { } failure)
            {
                throw failure;
            }

            ObjectDisposedException.ThrowIf(Volatile.Read(ref _stopped) != 0, this);
            var read = new TaskCompletionSource<IReadOnlyList<LoggedEntry>>(TaskCreationOptions.RunContinuationsAsynchronously);

            // The loop serves the read at once when the entries are committed, or parks it until they are. A loop that
            // ends before serving it drops it: then the next round reports why it ended.
            if (Post(() => ReadCommittedOrPark(fromLsn, maxCount, read))
                && await Task.WhenAny(read.Task, _loopEnded.Task).WaitAsync(cancellationToken).ConfigureAwait(false) == read.Task)
            {
                return await read.Task.ConfigureAwait(false);
            }
        }
    }

    /// <summary>Hands a message from another replica to this one (any thread; it runs on the driver loop).</summary>
    public void Deliver(ReplicationMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        Interlocked.Increment(ref _messagesReceived);
        if (message is CheckpointChunk chunk)
        {
            Post(() => OnCheckpointChunk(chunk));
            return;
        }

        if (message is CheckpointChunkAccepted accepted)
        {
            Post(() => OnCheckpointChunkAccepted(accepted));
            return;
        }

        Post(() => _replica!.OnMessage(message));
    }

    /// <summary>
    /// Stops the replica as a crash would (nothing more is written or synced, queued work is dropped), fails waiting
    /// appends as <see cref="AppendOutcomeUnknownException"/> and closes the log.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
        {
            return;
        }

        _stopping.Cancel();
        _work.Writer.TryComplete();
        _pause.Release();
        if (_ticker is not null)
        {
            await _ticker.DisposeAsync().ConfigureAwait(false);
        }

        await _loop.ConfigureAwait(false);
        if (_checkpointWrite.UnderWay is { } checkpointWrite)
        {
            // The file write touches the log's directory: it returns before the log is closed (as if it completed just
            // before a crash; its outcome is never put in force, recovery reads whichever checkpoint file is there).
            await checkpointWrite.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        FailWaitingAppends(new AppendOutcomeUnknownException(Id, "the replica stopped"));
        FailCompaction(new ObjectDisposedException(nameof(ReplicaHost), $"Replica {Id} stopped before its checkpoint was written."));

        // Readers of committed entries wait for the loop's end too (a host stopped before it started has none).
        _loopEnded.TrySetResult();
        _readLease.CompleteWaiters();
        _log.Dispose();
    }

    private bool Post(Action action) => _work.Writer.TryWrite(action);

    private async Task RunLoopAsync()
    {
        var reader = _work.Reader;
        try
        {
            while (await reader.WaitToReadAsync().ConfigureAwait(false))
            {
                await _pause.WaitWhilePausedAsync().ConfigureAwait(false);

                Interlocked.Increment(ref _bursts);
                while (!_stopping.IsCancellationRequested && !_pause.IsPaused && reader.TryRead(out var action))
                {
                    action();
                }

                // One sync for the whole burst (group commit). A log that syncs at once reports here, and the replica may
                // ask for one more for what it covered not; a journaled log's sync completes later, as queued work, and
                // the loop goes on meanwhile (the replica asks for no other sync while one is under way); the log's own
                // callback posts it, with no thread-pool hop before the post.
                while (!_stopping.IsCancellationRequested && _pendingSyncToken is { } token)
                {
                    _pendingSyncToken = null;
                    var pending = new PendingLogSync(token, _postSyncReport);
                    var sync = _log.RequestSync(PendingLogSync.Completed, pending);
                    if (pending.Requested(sync))
                    {
                        OnLogSynced(sync, token);
                    }
                }

                if (_stopping.IsCancellationRequested)
                {
                    return;
                }

                Publish();
            }
        }
        catch (Exception exception)
        {
            // Whatever stopped the loop (a failed log, an impossible protocol state, a bug), the replica must not
            // continue on a state it can no longer trust, and no caller may wait forever: fail loudly.
            Fail(exception);
        }
        finally
        {
            _loopEnded.TrySetResult();
        }
    }

    /// <summary>Driver loop only: the log's sync completed (or failed: the log throws, and the loop fails the host).</summary>
    private void OnLogSynced(EntryLogSync sync, long token)
    {
        _log.CompleteSync(sync);
        Interlocked.Increment(ref _syncs);
        if (_replica!.Role == ReplicaRole.Leader)
        {
            Interlocked.Increment(ref _syncsAsLeader);
        }

        _replica!.OnSynced(token);
    }

    /// <summary>Posts the completion of a sync that did not complete at once to the driver loop (dropped once it stopped); called by the log on its completing thread.</summary>
    private void PostSyncReport(PendingLogSync pending) => Post(() => OnLogSynced(pending.Sync!, pending.Token));

    private void Publish()
    {
        var replica = _replica!;
        var previousCommitted = _status.CommittedLsn;
        _readLease.Publish(replica.ReadLeaseExpiry);
        if (!ReferenceEquals(replica.Checkpoint, _publishedCheckpoint))
        {
            // Transfers of a checkpoint the replica no longer holds are over: their states need not stay alive.
            _publishedCheckpoint = replica.Checkpoint;
            _checkpointSender.Retain(replica.Checkpoint);
        }

        _status = new ReplicaStatus(
            replica.Role, replica.Epoch, replica.Leader, _log.EndLsn, _log.DurableLsn, replica.CommittedOffset, false, replica.Log.StartOffset);
        if (replica.CommittedOffset > previousCommitted)
        {
            _committedReads.ServeThrough(replica.CommittedOffset, _readCommitted);
        }

        _readLease.WakeWaitersIfHeld();
    }

    /// <summary>Serves <paramref name="read"/> now when its first entry is committed, or parks it until it is (driver loop only).</summary>
    private void ReadCommittedOrPark(long fromLsn, int maxCount, TaskCompletionSource<IReadOnlyList<LoggedEntry>> read)
    {
        if (_replica!.CommittedOffset >= fromLsn)
        {
            ReadCommitted(fromLsn, maxCount, read);
        }
        else
        {
            _committedReads.Park(fromLsn, maxCount, read);
        }
    }

    /// <summary>Copies committed entries from the replica's log into <paramref name="read"/> (driver loop only: the replica owns it).</summary>
    private void ReadCommitted(long fromLsn, int maxCount, TaskCompletionSource<IReadOnlyList<LoggedEntry>> read)
    {
        var replica = _replica!;
        if (fromLsn <= replica.Log.StartOffset)
        {
            read.TrySetException(new EntriesCheckpointedException(_log.Directory, "read committed entries", fromLsn, replica.Log.StartOffset));
            return;
        }

        var count = (int)Math.Min(maxCount, replica.CommittedOffset - fromLsn + 1);
        var entries = count <= 0 ? [] : replica.Log.Read(fromLsn, count);
        var result = new LoggedEntry[entries.Count];
        for (var i = 0; i < entries.Count; i++)
        {
            result[i] = new LoggedEntry(fromLsn + i, entries[i].Epoch, entries[i].Payload);
        }

        read.TrySetResult(result);
    }

    private void Fail(Exception exception)
    {
        var failure = new ReplicaHostFailedException(Id, exception);
        _failure = failure;
        // The log's own durable position, not the last published one: a sync may have completed (and been reported to the
        // leader) in the burst that failed. Whoever restarts the replica keeps exactly this much (PartitionReplicas).
        _status = _status with { Failed = true, DurableLsn = _log.DurableLsn };
        LogHostFailed(_logger, Id, exception);
        _work.Writer.TryComplete();
        FailWaitingAppends(failure);
        FailCompaction(failure);
        _readLease.CompleteWaiters();
    }

    private void FailWaitingAppends(Exception exception)
    {
        foreach (var requestId in _appends.Keys)
        {
            if (_appends.TryRemove(requestId, out var completion))
            {
                completion.TrySetException(exception);
            }
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Critical, Message = "Replica {Replica} stopped: its log failed or the protocol saw an impossible state")]
    private static partial void LogHostFailed(ILogger logger, ReplicaId replica, Exception exception);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "Replica {Replica}: opening its log cut {Bytes} bytes of torn tail; it holds entries up to LSN {EndLsn} (the leader resends what it lacks)")]
    private static partial void LogTornTail(ILogger logger, ReplicaId replica, long bytes, long endLsn);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "Replica {Replica}: configuration store {Operation} failed (treated as a lost reply)")]
    private static partial void LogStoreFailed(ILogger logger, ReplicaId replica, string operation, Exception exception);
}
