using Actors.Replication.Configuration;
using Actors.Replication.Log;
using Actors.Replication.Messages;
using Actors.Replication.Options;

namespace Actors.Replication.Protocol;

/// <summary>
/// One replica of a partition log as a pure state machine: it changes state only when its driver calls one of its
/// methods (a message, a disk completion, a store answer, a client append or a clock tick) and acts only through
/// <see cref="IReplicaEnvironment"/>. No threads, no I/O, no clock of its own (time comes from the injected
/// <see cref="TimeProvider"/>), so a simulator can run the protocol deterministically for any seed.
/// </summary>
/// <remarks>
/// <para>Rules (docs/replication.md has the reasoning):</para>
/// <list type="number">
/// <item>The store names one leader per epoch; a replica leads epoch e only if the store's conditional write named it
/// and it has never entered e before (its entered epoch is persisted before it acts).</item>
/// <item>An append is acknowledged only when durable on the leader and on every replica of the in-sync set (and of a
/// proposed in-sync set while the proposal is unresolved).</item>
/// <item>Followers refuse requests of an epoch older than the one they entered; a deposed leader therefore cannot
/// collect the acknowledgement of its successor, which is always one of its in-sync replicas.</item>
/// <item>A follower accepts entries only after a request's previous (offset, epoch) matches its log; it drops its tail
/// from the first entry whose epoch differs from the leader's (divergent tail).</item>
/// <item>Only an in-sync replica may ask the store to lead; the in-sync set shrinks only through the store, and never
/// through a leader whose process is stopping (<see cref="FreezeInSyncSet"/>).</item>
/// </list>
/// Not thread-safe: one driver thread calls it.
/// </remarks>
public sealed partial class Replica
{
    /// <summary>The most requests a follower holds ahead of its log (Replica.Ahead.cs says why it holds any).</summary>
    public const int MaxHeldRequests = 16;

    private readonly IReplicaEnvironment _environment;
    private readonly TimeProvider _time;
    private readonly ReplicaOptions _options;
    private readonly ReplicaFaults _faults;
    private readonly ReplicaLog _log;
    private readonly RunningClock _running;
    private readonly ReplicaCheckpoints _checkpoints;
    private readonly FollowerState _followerState;
    private readonly HeldAppendRequests _held = new();
    private readonly ReadLease _readLease;
    private readonly ConfigurationState _configuration;
    private readonly LeaderTerm _leaderTerm = new();
    private HandOverState? _handOver;
    private bool _retired;
    private bool _inSyncSetFrozen;

    private long _epoch;
    private ReplicaId? _leader;
    private long _committedOffset;
    private long _nextSyncToken;

    /// <summary>Creates a replica over what its disk held at start: <paramref name="durableEntries"/> and the last entered epoch.</summary>
    /// <param name="id">This replica.</param>
    /// <param name="durableEntries">The log's entries as found on disk.</param>
    /// <param name="enteredEpoch">The last epoch persisted with <see cref="IReplicaEnvironment.PersistEpoch"/> (0 if never).</param>
    /// <param name="environment">Where the replica's requests go.</param>
    /// <param name="time">The clock for timeouts.</param>
    /// <param name="options">Timing; validated here.</param>
    public Replica(
        ReplicaId id,
        IEnumerable<LogEntry> durableEntries,
        long enteredEpoch,
        IReplicaEnvironment environment,
        TimeProvider time,
        ReplicaOptions options)
        : this(id, ReplicaCheckpoint.Empty, 1, durableEntries, enteredEpoch, environment, time, options, ReplicaFaults.None)
    {
    }

    internal Replica(
        ReplicaId id,
        ReplicaCheckpoint checkpoint,
        long firstEntryOffset,
        IEnumerable<LogEntry> durableEntries,
        long enteredEpoch,
        IReplicaEnvironment environment,
        TimeProvider time,
        ReplicaOptions options,
        ReplicaFaults faults)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegative(enteredEpoch);
        ArgumentOutOfRangeException.ThrowIfLessThan(firstEntryOffset, 1);
        options.Validate();
        Id = id;
        _environment = environment;
        _time = time;
        _options = options;
        _faults = faults;
        _checkpoints = new ReplicaCheckpoints(checkpoint);
        _log = LoadLog(id, checkpoint, firstEntryOffset, durableEntries);
        if (_log.LastEpoch > enteredEpoch)
        {
            throw new ReplicationInvariantException(id, $"the log holds epoch {_log.LastEpoch} but the entered epoch is {enteredEpoch}");
        }

        _epoch = enteredEpoch;
        _running = new RunningClock(time, options.HeartbeatInterval);
        _followerState = new FollowerState(_running.Now());
        _readLease = new ReadLease(time, options, faults);
        _configuration = new ConfigurationState(_time.GetTimestamp());
    }

    /// <summary>This replica.</summary>
    public ReplicaId Id { get; }

    /// <summary>Leader or follower, in <see cref="Epoch"/>.</summary>
    public ReplicaRole Role { get; private set; }

    /// <summary>The latest epoch this replica entered (persisted).</summary>
    public long Epoch => _epoch;

    /// <summary>The leader of <see cref="Epoch"/> as far as this replica knows.</summary>
    public ReplicaId? Leader => _leader;

    /// <summary>The log (read-only use: tests and diagnostics).</summary>
    public ReplicaLog Log => _log;

    /// <summary>Entries up to here are known acknowledged (leader: its own decision; follower: as the leader last said).</summary>
    public long CommittedOffset => _committedOffset;

    /// <summary>The newest configuration this replica has seen (null before its first read).</summary>
    public ReplicaConfiguration? Configuration => _configuration.View;

    /// <summary>Starts the replica: it reads the configuration to learn its place.</summary>
    public void Start() => RequestConfigurationRead();

    /// <summary>
    /// Appends <paramref name="payload"/> when this replica leads and is not handing over; the outcome comes as
    /// <see cref="IReplicaEnvironment.Acknowledge"/> or <see cref="IReplicaEnvironment.Abandon"/> for <paramref name="requestId"/>.
    /// </summary>
    public void Propose(long requestId, ReadOnlyMemory<byte> payload) => Propose([new Proposal(requestId, payload)]);

    /// <summary>
    /// Appends every payload of <paramref name="proposals"/>, in order, when this replica leads: one local write, and one
    /// request per follower carrying all of them (up to <see cref="ReplicaOptions.MaxEntriesPerRequest"/> entries each) instead
    /// of one request per entry. Each outcome comes as for <see cref="Propose(long, ReadOnlyMemory{byte})"/>.
    /// </summary>
    public void Propose(IReadOnlyList<Proposal> proposals)
    {
        ArgumentNullException.ThrowIfNull(proposals);
        if (proposals.Count == 0)
        {
            return;
        }

        if (Role != ReplicaRole.Leader || _handOver is not null)
        {
            foreach (var proposal in proposals)
            {
                _environment.Abandon(proposal.RequestId, appended: false);
            }

            return;
        }

        AppendAsLeader(proposals);
    }

    /// <summary>Delivers a message from another replica.</summary>
    public void OnMessage(ReplicationMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        switch (message)
        {
            case AppendRequest request:
                OnAppendRequest(request);
                break;
            case AppendAccepted accepted:
                OnAppendAccepted(accepted);
                break;
            case AppendDiverged diverged:
                OnAppendDiverged(diverged);
                break;
            case AppendFenced fenced:
                OnAppendFenced(fenced);
                break;
            case InstallCheckpoint install:
                OnInstallCheckpoint(install);
                break;
            default:
                throw new ArgumentException($"Unknown replication message {message.GetType().Name}.", nameof(message));
        }
    }

    /// <summary>Delivers the completion of <see cref="IReplicaEnvironment.Sync"/>(<paramref name="token"/>).</summary>
    public void OnSynced(long token)
    {
        if (!_log.SyncCompleted(token))
        {
            throw new ReplicationInvariantException(Id, $"sync {token} completed but was never requested (or completed twice)");
        }

        EnsureSync();
        if (Role == ReplicaRole.Leader)
        {
            AdvanceCommit();
            ContinueHandOver();
        }
        else
        {
            ReportProgressToLeader();
        }
    }

    /// <summary>Lets time-driven work run: heartbeats, lag checks, leader timeouts, configuration polls.</summary>
    public void Tick()
    {
        var now = _time.GetTimestamp();

        // Every tick reads the running clock, so all the time this replica runs is credited to it (a stall only once).
        _running.Now();
        if (_configuration.PendingWrite is { } pending && _time.GetElapsedTime(pending.SentAt, now) >= _options.ConfigurationPollInterval)
        {
            RequestConfigurationRead();
        }
        else if (_time.GetElapsedTime(_configuration.LastRead, now) >= _options.ConfigurationPollInterval)
        {
            RequestConfigurationRead();
        }

        if (Role == ReplicaRole.Leader)
        {
            LeaderTick(now);
        }
        else
        {
            FollowerTick(now);
        }
    }

    private void EnsureSync()
    {
        if (_log.NeedsSync && !_log.HasPendingSync)
        {
            var token = ++_nextSyncToken;
            _log.SyncRequested(token);
            _environment.Sync(token);
        }
    }

    private void EnterEpoch(long epoch)
    {
        if (epoch <= _epoch)
        {
            throw new ReplicationInvariantException(Id, $"asked to enter epoch {epoch} while already in epoch {_epoch}");
        }

        _environment.PersistEpoch(epoch);
        _epoch = epoch;
    }
}
