using Actors.Replication.Log;
using Actors.Replication.Messages;
using Actors.Replication.Options;

namespace Actors.Replication.Protocol;

/// <summary>
/// Checkpoints: deleting the entries a durable checkpoint replaces, and catching a follower up from the leader's
/// checkpoint when it needs entries the leader no longer holds.
/// </summary>
/// <remarks>
/// <para>Rules (docs/replication.md, "Checkpoints"):</para>
/// <list type="number">
/// <item>Only a committed offset that is durable in the local log is checkpointed; every later leader holds the same
/// entries up to it, so nothing at or below a log's start is ever truncated or compared.</item>
/// <item>Entries are deleted only after the checkpoint that replaces them is durable.</item>
/// <item>A leader whose follower needs an entry at or below its log's start sends its checkpoint
/// (<see cref="InstallCheckpoint"/>); the follower keeps its log if it already agrees at the checkpoint's offset, and
/// otherwise replaces its log by the checkpoint (one atomic disk operation), reporting it durable only after a sync.</item>
/// <item>Above the checkpoint the prefix check, the leader-epoch rule and divergent-tail truncation are unchanged.</item>
/// </list>
/// </remarks>
public sealed partial class Replica
{
    /// <summary>
    /// Creates a replica over what its disk held at start: its durable <paramref name="checkpoint"/>, the log's entries
    /// from <paramref name="firstEntryOffset"/> on and the last entered epoch. Entries the checkpoint covers are skipped.
    /// </summary>
    /// <exception cref="ReplicationInvariantException">The log starts above the checkpoint's offset + 1 (entries between them are lost).</exception>
    public Replica(
        ReplicaId id,
        ReplicaCheckpoint checkpoint,
        long firstEntryOffset,
        IEnumerable<LogEntry> durableEntries,
        long enteredEpoch,
        IReplicaEnvironment environment,
        TimeProvider time,
        ReplicaOptions options)
        : this(id, checkpoint, firstEntryOffset, durableEntries, enteredEpoch, environment, time, options, ReplicaFaults.None)
    {
    }

    /// <summary>The durable checkpoint the log starts at (<see cref="ReplicaCheckpoint.Empty"/> when the log starts at offset 1).</summary>
    public ReplicaCheckpoint Checkpoint => _checkpoints.Durable;

    /// <summary>Whether a checkpoint write asked by <see cref="Compact"/> has not completed yet.</summary>
    public bool IsWritingCheckpoint => _checkpoints.IsWriting;

    /// <summary>
    /// Offers the materialized state at a committed offset: the replica writes it durably and then deletes the entries
    /// it covers. Returns false (nothing done) when the offset is not above the log's start or a checkpoint write is
    /// already under way.
    /// </summary>
    /// <param name="checkpoint">The state after applying entries up to its offset; its epoch must be this log's epoch there.</param>
    /// <exception cref="ArgumentOutOfRangeException">The offset is above the committed offset or the durable offset.</exception>
    /// <exception cref="ArgumentException">The epoch is not the log's epoch at the offset.</exception>
    /// <exception cref="NotSupportedException">The environment is not an <see cref="IReplicaCheckpointEnvironment"/>.</exception>
    public bool Compact(ReplicaCheckpoint checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        var environment = CheckpointEnvironment("checkpoint its log");
        if (checkpoint.Offset <= _log.StartOffset || _checkpoints.IsWriting)
        {
            return false;
        }

        var limit = Math.Min(_committedOffset, _log.DurableOffset);
        if (checkpoint.Offset > limit)
        {
            throw new ArgumentOutOfRangeException(
                nameof(checkpoint), checkpoint.Offset, $"Only a committed, durable offset is checkpointed (up to {limit} now).");
        }

        if (_log.EpochAt(checkpoint.Offset) != checkpoint.Epoch)
        {
            throw new ArgumentException(
                $"The checkpoint at {checkpoint.Offset} names epoch {checkpoint.Epoch}; the log holds epoch {_log.EpochAt(checkpoint.Offset)} there.",
                nameof(checkpoint));
        }

        var token = ++_nextSyncToken;
        _checkpoints.BeginWrite(checkpoint, token);
        environment.WriteCheckpoint(checkpoint, token);
        if (_faults.DeletePrefixBeforeCheckpointDurable)
        {
            DeleteCheckpointedPrefix(environment, checkpoint);
        }

        return true;
    }

    /// <summary>Delivers the completion of <see cref="IReplicaCheckpointEnvironment.WriteCheckpoint"/>(..., <paramref name="token"/>).</summary>
    public void OnCheckpointWritten(long token)
    {
        if (!_checkpoints.TryCompleteWrite(token, out var checkpoint))
        {
            throw new ReplicationInvariantException(Id, $"checkpoint write {token} completed but was never requested (or completed twice)");
        }

        if (!_faults.DeletePrefixBeforeCheckpointDurable)
        {
            DeleteCheckpointedPrefix(CheckpointEnvironment("checkpoint its log"), checkpoint);
        }
    }

    private void DeleteCheckpointedPrefix(IReplicaCheckpointEnvironment environment, ReplicaCheckpoint checkpoint)
    {
        // A transferred checkpoint may have replaced the log meanwhile; it is newer.
        if (checkpoint.Offset <= _log.StartOffset)
        {
            return;
        }

        _log.DeletePrefix(checkpoint.Offset);
        _checkpoints.Replace(checkpoint);
        environment.DeletePrefix(checkpoint.Offset);
    }

    private void SendCheckpoint(ReplicaId follower, FollowerProgress progress)
    {
        var checkpoint = _checkpoints.Durable;
        if (checkpoint.Offset != _log.StartOffset)
        {
            throw new ReplicationInvariantException(Id, $"the log starts at {_log.StartOffset} but the checkpoint is at {checkpoint.Offset}");
        }

        _environment.Send(follower, new InstallCheckpoint(Id, _epoch, checkpoint, _committedOffset));
        progress.NextOffset = checkpoint.Offset + 1;
        progress.LastSent = _running.Now();
    }

    private void OnInstallCheckpoint(InstallCheckpoint install)
    {
        if (!AcceptFromLeader(install))
        {
            return;
        }

        var checkpoint = install.Checkpoint;
        var agrees = checkpoint.Offset <= _log.StartOffset
            || (checkpoint.Offset <= _log.EndOffset && _log.EpochAt(checkpoint.Offset) == checkpoint.Epoch);
        if (!agrees)
        {
            if (checkpoint.Offset <= _followerState.MatchedOffset)
            {
                throw new ReplicationInvariantException(
                    Id, $"checkpoint {checkpoint.Offset} of epoch {checkpoint.Epoch} from {install.From} contradicts the prefix matched up to {_followerState.MatchedOffset}");
            }

            var environment = CheckpointEnvironment("take a transferred checkpoint");
            _log.ResetTo(checkpoint.Offset, checkpoint.Epoch);
            _checkpoints.Replace(checkpoint);
            environment.InstallCheckpoint(checkpoint);
            ForgetHeldRequests();
        }

        _followerState.Matched(checkpoint.Offset);
        _committedOffset = Math.Max(_committedOffset, Math.Min(install.CommittedOffset, _followerState.MatchedOffset));
        EnsureSync();
        ReportProgressToLeader();
    }

    /// <summary>
    /// Entries up to this log's start are committed, so the leader holds the same: a request reaching below the start
    /// is taken as starting there.
    /// </summary>
    private AppendRequest SkipCheckpointed(AppendRequest request)
    {
        var start = _log.StartOffset;
        if (request.PrevOffset >= start)
        {
            return request;
        }

        var skip = (int)Math.Min(request.Entries.Count, start - request.PrevOffset);
        return request with { PrevOffset = start, PrevEpoch = _log.StartEpoch, Entries = request.Entries.Skip(skip).ToArray() };
    }

    private IReplicaCheckpointEnvironment CheckpointEnvironment(string action) =>
        _environment as IReplicaCheckpointEnvironment
        ?? throw new NotSupportedException($"Replica {Id} cannot {action}: its environment does not implement {nameof(IReplicaCheckpointEnvironment)}.");

    private static ReplicaLog LoadLog(ReplicaId id, ReplicaCheckpoint checkpoint, long firstEntryOffset, IEnumerable<LogEntry> durableEntries)
    {
        ArgumentNullException.ThrowIfNull(durableEntries);
        if (firstEntryOffset > checkpoint.Offset + 1)
        {
            throw new ReplicationInvariantException(
                id, $"the log starts at offset {firstEntryOffset} but the durable checkpoint covers only up to {checkpoint.Offset}: entries {checkpoint.Offset + 1}..{firstEntryOffset - 1} are missing");
        }

        return new ReplicaLog(checkpoint.Offset, checkpoint.Epoch, durableEntries.Skip((int)(checkpoint.Offset + 1 - firstEntryOffset)));
    }
}
