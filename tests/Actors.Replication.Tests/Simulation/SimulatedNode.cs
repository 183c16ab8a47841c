using Actors.Replication.Configuration;
using Actors.Replication.Log;
using Actors.Replication.Messages;
using Actors.Replication.Options;
using Actors.Replication.Protocol;

namespace Actors.Replication.Tests.Simulation;

/// <summary>
/// One simulated process hosting a replica: its disk survives crashes, its replica does not. While paused (SIGSTOP) it
/// runs nothing and everything addressed to it waits in its inbox; after a crash, what was in flight to the old
/// incarnation's disk and store connections is lost.
/// </summary>
public sealed class SimulatedNode : IReplicaCheckpointEnvironment
{
    private readonly Simulation _simulation;
    private readonly ReplicaOptions _options;
    private readonly List<Action> _inbox = [];

    internal SimulatedNode(Simulation simulation, ReplicaId id, ReplicaOptions options)
    {
        _simulation = simulation;
        _options = options;
        Id = id;
    }

    /// <summary>The replica's number.</summary>
    public ReplicaId Id { get; }

    /// <summary>The disk (outlives crashes; replaced by an empty one when the node is retired, <see cref="Wipe"/>).</summary>
    public SimulatedDisk Disk { get; private set; } = new();

    /// <summary>Whether the node was stopped and its disk wiped because the store no longer named it, and has not run since.</summary>
    public bool Retired { get; private set; }

    /// <summary>The running replica, null while crashed.</summary>
    public Replica? Replica { get; private set; }

    /// <summary>Bumped at every restart; deliveries for an older incarnation's disk or store requests are dropped.</summary>
    public int Incarnation { get; private set; }

    /// <summary>Whether the process is stopped (SIGSTOP).</summary>
    public bool Paused { get; set; }

    /// <summary>Whether the process runs (possibly paused).</summary>
    public bool Alive => Replica is not null;

    private ReplicaRole _lastRole;
    private long _lastEpoch;

    /// <summary>Starts (or restarts) the process over its disk.</summary>
    public void Start()
    {
        Retired = false;
        Incarnation++;
        Paused = false;
        _inbox.Clear();
        Replica = new Replica(
            Id, Disk.DurableCheckpoint, Disk.DurableBase + 1, Disk.DurableEntries, Disk.DurableEpoch, this, _simulation.Clock, _options,
            _simulation.Settings.Faults);
        _lastRole = ReplicaRole.Follower;
        _lastEpoch = Replica.Epoch;
        Run(Replica.Start, "start");
    }

    /// <summary>Kills the process: the replica's memory is gone, the disk keeps what was synced plus a prefix of the rest.</summary>
    public void Crash(int survivingOperations)
    {
        Replica = null;
        Paused = false;
        _inbox.Clear();
        Disk.Crash(survivingOperations);
    }

    /// <summary>
    /// Wipes the stopped node's disk, as a silo deletes the files of a replica the store no longer names
    /// (<c>SiloReplicas</c>): the node is retired, and starts empty when it is added back.
    /// </summary>
    public void Wipe()
    {
        Disk = new SimulatedDisk();
        Retired = true;
    }

    /// <summary>Resumes a paused process: what waited in its inbox runs in arrival order.</summary>
    public void Resume()
    {
        Paused = false;
        var waiting = _inbox.ToArray();
        _inbox.Clear();
        foreach (var action in waiting)
        {
            if (Replica is null || Paused)
            {
                break;
            }

            action();
        }
    }

    /// <summary>Runs <paramref name="action"/> against the replica now, or when the process resumes.</summary>
    internal void Run(Action action, string what) => Run(static (_, run) => run(), action, what);

    /// <summary>
    /// Runs <paramref name="action"/> with <paramref name="state"/> against the replica now, or when the process resumes
    /// (the replica it gets is the one running then). A static lambda with its state allocates nothing unless the process
    /// is paused.
    /// </summary>
    internal void Run<TState>(Action<Replica, TState> action, TState state, string what)
    {
        if (Replica is null)
        {
            return;
        }

        if (Paused)
        {
            _inbox.Add(() => Execute(action, state, what));
        }
        else
        {
            Execute(action, state, what);
        }
    }

    private void Execute<TState>(Action<Replica, TState> action, TState state, string what)
    {
        _simulation.Record(this, what);
        action(Replica!, state);
        CompactIfDue();
        if (Replica is { } replica)
        {
            _simulation.Fold(replica.Epoch * 4 + (int)replica.Role, replica.Log.EndOffset, replica.Log.DurableOffset, replica.CommittedOffset);
        }

        _simulation.Checker.AfterStep(this);
    }

    /// <summary>Whether the replica became leader of a new epoch since the last call (the checker's hook).</summary>
    internal bool TookLeadership()
    {
        var replica = Replica!;
        var took = replica.Role == ReplicaRole.Leader && (_lastRole != ReplicaRole.Leader || _lastEpoch != replica.Epoch);
        _lastRole = replica.Role;
        _lastEpoch = replica.Epoch;
        return took;
    }

    /// <inheritdoc />
    public void Send(ReplicaId to, ReplicationMessage message) => _simulation.Network.Send(Id, to, message);

    /// <inheritdoc />
    public void WriteEntries(long firstOffset, IReadOnlyList<LogEntry> entries) => Disk.Write(firstOffset, entries);

    /// <inheritdoc />
    public void Truncate(long length) => Disk.Truncate(length);

    /// <inheritdoc />
    public void Sync(long token)
    {
        var syncPoint = Disk.SyncPoint;
        var incarnation = Incarnation;
        _simulation.Schedule(_simulation.DiskLatency(), () =>
        {
            if (Replica is not null && Incarnation == incarnation)
            {
                // The disk finishes the sync even while the process is stopped; the process notices when it runs.
                Disk.CompleteSync(syncPoint);
                Run(() => Replica.OnSynced(token), _simulation.Tracing ? $"synced {token}" : "synced");
            }
        });
    }

    /// <inheritdoc />
    public void WriteCheckpoint(ReplicaCheckpoint checkpoint, long token)
    {
        var incarnation = Incarnation;
        _simulation.Schedule(_simulation.DiskLatency(), () =>
        {
            if (Replica is not null && Incarnation == incarnation)
            {
                Disk.CompleteCheckpoint(checkpoint);
                Run(() => Replica.OnCheckpointWritten(token), _simulation.Tracing ? $"checkpoint {checkpoint.Offset} written" : "checkpoint written");
            }
        });
    }

    /// <inheritdoc />
    public void DeletePrefix(long offset)
    {
        _simulation.PrefixDeletions++;
        Disk.DeletePrefix(offset);
    }

    /// <inheritdoc />
    public void InstallCheckpoint(ReplicaCheckpoint checkpoint)
    {
        _simulation.CheckpointInstalls++;
        Disk.Install(checkpoint);
    }

    /// <summary>The request id of the entry at <paramref name="offset"/> as the running replica holds it (its checkpoint or its log).</summary>
    internal long RequestIdAt(long offset)
    {
        var replica = Replica!;
        return offset <= replica.Checkpoint.Offset
            ? SimulatedDisk.RequestIdInState(replica.Checkpoint, offset)
            : InvariantChecker.RequestIdOf(replica.Log[offset]);
    }

    /// <summary>
    /// The state machine's part: once <see cref="SimulationSettings.CompactionInterval"/> committed, durable entries
    /// follow the log's start, it offers the replica a checkpoint of them (the request ids applied).
    /// </summary>
    private void CompactIfDue()
    {
        var interval = _simulation.Settings.CompactionInterval;
        if (interval == 0 || Replica is not { IsWritingCheckpoint: false } replica)
        {
            return;
        }

        var offset = Math.Min(replica.CommittedOffset, replica.Log.DurableOffset);
        if (offset - replica.Log.StartOffset < interval)
        {
            return;
        }

        _simulation.Record(this, _simulation.Tracing ? $"compact {offset}" : "compact");
        replica.Compact(new ReplicaCheckpoint(offset, replica.Log.EpochAt(offset), StateUpTo(replica, offset)));
    }

    /// <summary>
    /// The state after the entries up to <paramref name="offset"/>: the request ids of the replica's checkpoint, then of
    /// its log's entries (each payload is its request id's 8 bytes, <see cref="InvariantChecker.Payload"/>), as
    /// <see cref="SimulatedDisk.State"/> lays them out.
    /// </summary>
    private static byte[] StateUpTo(Replica replica, long offset)
    {
        var state = new byte[offset * sizeof(long)];
        var fromCheckpoint = Math.Min(offset, replica.Checkpoint.Offset);
        replica.Checkpoint.State.Span[..(int)(fromCheckpoint * sizeof(long))].CopyTo(state);
        for (var i = fromCheckpoint + 1; i <= offset; i++)
        {
            replica.Log[i].Payload.Span[..sizeof(long)].CopyTo(state.AsSpan((int)((i - 1) * sizeof(long))));
        }

        return state;
    }

    /// <inheritdoc />
    public void PersistEpoch(long epoch) => Disk.DurableEpoch = epoch;

    /// <inheritdoc />
    public void ReadConfiguration() =>
        _simulation.Network.ToStore(this, store => store.Current, (replica, current) => replica.OnConfigurationRead(current));

    /// <inheritdoc />
    public void WriteConfiguration(long expectedVersion, ReplicaConfiguration proposal) =>
        _simulation.Network.ToStore(
            this,
            store => store.TryWrite(expectedVersion, proposal),
            (replica, result) => replica.OnConfigurationWritten(expectedVersion, result));

    /// <inheritdoc />
    public void Acknowledge(long requestId, long offset, long epoch) => _simulation.Checker.Acknowledged(this, requestId, offset, epoch);

    /// <inheritdoc />
    public void Abandon(long requestId, bool appended)
    {
    }
}
