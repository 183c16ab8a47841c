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
    private readonly PendingAppends _appends = new();
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
    private ITimer? _timer;
    private IDisposable? _tickSubscription;
    private readonly ReplicaTicker? _sharedTicker;

    /// <summary><see cref="Replica.Tick"/> posted to the driver loop, once per tick (allocated once).</summary>
    private readonly Action _postTick;
    private Action _tick = static () => { };
    private Task _loop = Task.CompletedTask;
    private long? _pendingSyncToken;
    private readonly Action<PendingLogSync> _postSyncReport;
    private readonly CommittedReadWaiters _committedReads = new();
    private readonly Action<long, int, TaskCompletionSource<IReadOnlyList<LoggedEntry>>> _readCommitted;
    private volatile ReplicaStatus _status = ReplicaStatus.NotStarted;
    private volatile ReplicaHostFailedException? _failure;
    private readonly TaskCompletionSource _loopEnded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _stopped;
    private readonly ReplicaHostCounting _counting = new();
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
        _postTick = () => Post(_tick);
    }

    /// <summary>
    /// The clock this host ticks by when several hosts share one (<see cref="ReplicaTicker"/>: one timer for all of them);
    /// null (the default): a timer of its own, every half <see cref="ReplicaOptions.HeartbeatInterval"/>. Set before
    /// <see cref="Start"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The ticker's period exceeds half the heartbeat interval (heartbeats would go out
    /// late, and the replica's running clock would count less time than passes).</exception>
    public ReplicaTicker? Ticker
    {
        get => _sharedTicker;
        init
        {
            if (value is not null && value.Period > _options.HeartbeatInterval / 2)
            {
                throw new ArgumentException($"The ticker's period {value.Period} exceeds half the heartbeat interval ({_options.HeartbeatInterval}) of replica {Id}.", nameof(value));
            }

            _sharedTicker = value;
        }
    }

    /// <summary>This replica.</summary>
    public ReplicaId Id { get; }

    /// <summary>The latest published snapshot of the replica.</summary>
    public ReplicaStatus Status => _status;

    /// <summary>Why the host stopped on its own, or null.</summary>
    public ReplicaHostFailedException? Failure => _failure;

    /// <summary>What this host has done since it started (exact counts; each read independently, so a snapshot taken under load may mix bursts).</summary>
    public ReplicaHostCounters Counters => _counting.Snapshot();

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
        _tick = _replica.Tick;
        _loop = Task.Run(RunLoopAsync);
        if (_sharedTicker is not null)
        {
            _tickSubscription = _sharedTicker.Subscribe(_postTick);
        }
        else
        {
            var period = _options.HeartbeatInterval / 2;
            _timer = _time.CreateTimer(static host => ((ReplicaHost)host!)._postTick(), this, period, period);
        }
    }

    /// <summary>
    /// Appends <paramref name="payload"/> (copied) when this replica leads; completes when the entry is durable on every
    /// in-sync replica.
    /// </summary>
    /// <exception cref="NotLeaderException">This replica does not lead; nothing was appended.</exception>
    /// <exception cref="AppendOutcomeUnknownException">Appended but not acknowledged (leadership lost, or the host stopped).</exception>
    /// <exception cref="ReplicaHostFailedException">The host stopped on an error.</exception>
    public Task<ReplicatedAppendResult> AppendAsync(ReadOnlyMemory<byte> payload) => Append(payload, continueInline: false, owned: false);

    /// <summary>
    /// <see cref="AppendAsync"/> whose task runs its continuations on the thread that answers it, mostly the driver loop:
    /// for <see cref="EventLog.ReplicatedEventLog"/>, whose continuation only counts the entry out of flight and queues the
    /// next proposal (it must never block, nor call back into this host inline), so an acknowledgment costs no
    /// thread-pool hop before the next entry may go.
    /// </summary>
    /// <remarks>Ownership: unlike <see cref="AppendAsync"/>, the host takes <paramref name="payload"/> itself, not a copy:
    /// the caller hands over an array of its own (never pooled) and nobody writes it again; the entry's bytes are read from
    /// it until they are written to the log and sent to every follower.</remarks>
    internal Task<ReplicatedAppendResult> AppendContinuingInline(byte[] payload) => Append(payload, continueInline: true, owned: true);

    /// <summary>
    /// Runs <paramref name="action"/> on the driver loop, after what is queued (within the current burst when called from
    /// the loop); false when the loop stopped (nothing runs). For <see cref="EventLog.ReplicatedEventLog"/>'s proposals: an
    /// append made there is proposed in the same burst, so a drain costs the loop's wake-up and no thread-pool hop before
    /// it. The action must not block.
    /// </summary>
    internal bool TryRunOnDriverLoop(Action action) => Post(action);

    // owned: true, the payload is the host's from now on (no copy); false, it is copied.
    private Task<ReplicatedAppendResult> Append(ReadOnlyMemory<byte> payload, bool continueInline, bool owned)
    {
        if (_failure is { } failure)
        {
            return Task.FromException<ReplicatedAppendResult>(failure);
        }

        _counting.AppendProposed();
        var (requestId, completion) = _appends.Add(continueInline);
        _proposals.Enqueue(new Proposal(requestId, owned ? payload : payload.ToArray()));
        if (!Post(_proposeQueued) && _appends.TryTake(requestId, out _))
        {
            completion.TrySetException(new NotLeaderException(Id, _status.Epoch, null));
        }

        return completion.Task;
    }


    /// <summary>Hands a message from another replica to this one (any thread; it runs on the driver loop).</summary>
    public void Deliver(ReplicationMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        _counting.MessageReceived();
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
        _tickSubscription?.Dispose();
        if (_timer is not null)
        {
            await _timer.DisposeAsync().ConfigureAwait(false);
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

    private void FailWaitingAppends(Exception exception) => _appends.FailAll(exception);

    [LoggerMessage(EventId = 1, Level = LogLevel.Critical, Message = "Replica {Replica} stopped: its log failed or the protocol saw an impossible state")]
    private static partial void LogHostFailed(ILogger logger, ReplicaId replica, Exception exception);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "Replica {Replica}: opening its log cut {Bytes} bytes of torn tail; it holds entries up to LSN {EndLsn} (the leader resends what it lacks)")]
    private static partial void LogTornTail(ILogger logger, ReplicaId replica, long bytes, long endLsn);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "Replica {Replica}: configuration store {Operation} failed (treated as a lost reply)")]
    private static partial void LogStoreFailed(ILogger logger, ReplicaId replica, string operation, Exception exception);
}