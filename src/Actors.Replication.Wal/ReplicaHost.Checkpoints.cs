using Actors.Replication.Log;
using Actors.Replication.Messages;
using Actors.Replication.Wal.Checkpoints;
using Actors.Wal.Entries;
using Microsoft.Extensions.Logging;

namespace Actors.Replication.Wal;

/// <summary>
/// Checkpoints on the real host (docs/replication.md, "Checkpoints"): the consumer of committed entries offers its
/// state at a committed LSN (<see cref="CompactAsync"/>); the host writes it durably into its <see cref="EntryLog"/>,
/// then deletes the entries it covers. A follower that needs entries this leader deleted is sent the checkpoint in
/// checksummed chunks (<see cref="CheckpointChunk"/>), a window at a time as the follower reports what it holds
/// (<see cref="CheckpointChunkAccepted"/>, <see cref="CheckpointSender"/>), reassembled and checked
/// (<see cref="CheckpointAssembler"/>) before its replica installs it, replacing its log atomically.
/// </summary>
public sealed partial class ReplicaHost
{
    /// <summary>Awaited on the writing thread before each checkpoint file is written (tests hold a write open with it); null: none.</summary>
    internal Func<Task>? BeforeCheckpointWrite
    {
        get => _checkpointWrite.BeforeWrite;
        set => _checkpointWrite.BeforeWrite = value;
    }

    /// <summary>The largest state slice per <see cref="CheckpointChunk"/> (tests set it small to force many chunks).</summary>
    internal int CheckpointChunkBytes
    {
        get => _checkpointSender.ChunkBytes;
        set => _checkpointSender.ChunkBytes = value;
    }

    /// <summary>
    /// How long a checkpoint transfer whose follower reports no progress waits before chunks go again (default: the
    /// options' <see cref="Options.ReplicaOptions.FollowerLagTimeout"/>; tests set it).
    /// </summary>
    internal TimeSpan CheckpointResendAfter
    {
        get => _checkpointSender.ResendAfter;
        set => _checkpointSender.ResendAfter = value;
    }

    /// <summary>
    /// Offers <paramref name="state"/> (copied), the consumer's materialized state after applying entries
    /// 1..<paramref name="lsn"/> (as read from <see cref="ReadCommittedAsync"/>, or from a checkpoint plus entries), as
    /// this replica's checkpoint: it is written durably, then the entries it covers are deleted (whole segments), and
    /// a follower that later needs them is sent this state instead.
    /// </summary>
    /// <returns>True once the checkpoint is durable and the log starts at <paramref name="lsn"/> or later; false when
    /// nothing was done (the log already starts there, or another checkpoint is being written).</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="lsn"/> is below 1, or above the committed or durable LSN.</exception>
    /// <exception cref="ReplicaHostFailedException">The host stopped on an error.</exception>
    /// <exception cref="ObjectDisposedException">The host stopped before the checkpoint was written.</exception>
    public Task<bool> CompactAsync(long lsn, ReadOnlyMemory<byte> state)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(lsn, 1);
        if (_failure is { } failure)
        {
            return Task.FromException<bool>(failure);
        }

        var completion = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        var copy = state.ToArray();
        if (!Post(() => StartCompaction(lsn, copy, completion)))
        {
            completion.TrySetException(new ObjectDisposedException(nameof(ReplicaHost), $"Replica {Id} is stopped."));
        }

        return completion.Task;
    }

    /// <summary>The replica's durable checkpoint (<see cref="ReplicaCheckpoint.Empty"/> when its log starts at LSN 1): where a consumer starts when <see cref="ReadCommittedAsync"/> says the entries it asked for were replaced.</summary>
    /// <exception cref="ObjectDisposedException">The host is stopped.</exception>
    public async Task<ReplicaCheckpoint> ReadCheckpointAsync(CancellationToken cancellationToken = default)
    {
        var read = new TaskCompletionSource<ReplicaCheckpoint>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!Post(() => read.TrySetResult(_replica!.Checkpoint))
            || await Task.WhenAny(read.Task, _loopEnded.Task).WaitAsync(cancellationToken).ConfigureAwait(false) != read.Task)
        {
            throw (Exception?)_failure ?? new ObjectDisposedException(nameof(ReplicaHost), $"Replica {Id} is stopped.");
        }

        return await read.Task.ConfigureAwait(false);
    }

    private void StartCompaction(long lsn, byte[] state, TaskCompletionSource<bool> completion)
    {
        var replica = _replica!;
        var log = replica.Log;
        if (lsn <= log.StartOffset || _compaction.IsPending || replica.IsWritingCheckpoint)
        {
            completion.TrySetResult(false);
            return;
        }

        var limit = Math.Min(replica.CommittedOffset, log.DurableOffset);
        if (lsn > limit)
        {
            completion.TrySetException(new ArgumentOutOfRangeException(
                nameof(lsn), lsn, $"Replica {Id}: only a committed, durable LSN is checkpointed (up to {limit} now)."));
            return;
        }

        _compaction.Begin(lsn, completion);
        if (!replica.Compact(new ReplicaCheckpoint(lsn, log.EpochAt(lsn), state)))
        {
            _compaction.Abandon();
        }
    }

    /// <summary>
    /// Writes the checkpoint file on a thread-pool thread while the driver loop goes on (appends, syncs, messages); the
    /// loop puts it in force and tells the replica once it is durable (<see cref="FinishCheckpointWrite"/>). One at a time:
    /// the replica asks for no other checkpoint write before it heard of this one.
    /// </summary>
    private void StartCheckpointWrite(EntryLogCheckpoint checkpoint, long token)
    {
        var pending = _log.BeginCheckpoint(checkpoint);
        _checkpointWrite.Start(pending, () => Post(() => FinishCheckpointWrite(pending, token)));
    }

    /// <summary>On the loop: the checkpoint is durable (or its write failed, which fails the log and with it this host).</summary>
    private void FinishCheckpointWrite(PendingEntryLogCheckpoint pending, long token)
    {
        _checkpointWrite.Finished();
        _log.CompleteCheckpoint(pending);
        _counting.CheckpointWritten();
        CheckpointWritten(token);
    }

    /// <summary>Blocks the loop until a checkpoint write under way returned (before an install replaces the checkpoint file).</summary>
    private void WaitForCheckpointWrite() => _checkpointWrite.WaitUntilReturned();

    /// <summary>After the replica handled a written checkpoint: the prefix is deleted (or a newer checkpoint replaced the log).</summary>
    private void CheckpointWritten(long token)
    {
        _replica!.OnCheckpointWritten(token);
        _compaction.CompleteIfCovered(_replica.Checkpoint.Offset);
    }

    private void FailCompaction(Exception exception) => _compaction.Fail(exception);

    /// <summary>
    /// A chunk from a leader: answered with the prefix of the state held so far (<see cref="CheckpointChunkAccepted"/>),
    /// and the replica gets the checkpoint once every chunk arrived and the state passed its checksum.
    /// </summary>
    private void OnCheckpointChunk(CheckpointChunk chunk)
    {
        CheckpointAssembler.ChunkOutcome outcome;
        try
        {
            outcome = _assembler.Add(chunk);
        }
        catch (CheckpointTransferRefusedException refused)
        {
            _counting.CheckpointTransferRefused();
            LogCheckpointRefused(_logger, Id, chunk.From, chunk.CheckpointOffset, refused);
            return;
        }

        _counting.MessageSent();
        _transport.Send(Id, chunk.From, new CheckpointChunkAccepted(Id, chunk.Epoch, chunk.CheckpointOffset, chunk.CheckpointEpoch, chunk.StateCrc, outcome.ReceivedPrefix));
        if (outcome.Completed is { } install)
        {
            _replica!.OnMessage(install);
        }
    }

    /// <summary>A follower's report on a transfer: the chunks its progress lets go.</summary>
    private void OnCheckpointChunkAccepted(CheckpointChunkAccepted accepted) => SendChunks(accepted.From, _checkpointSender.OnAccepted(accepted, Elapsed()));

    /// <summary>The protocol sends a checkpoint to a follower: as checksummed chunks, paced by <see cref="CheckpointSender"/>.</summary>
    private void SendCheckpoint(ReplicaId to, InstallCheckpoint install) => SendChunks(to, _checkpointSender.Send(to, install, Elapsed()));

    private void SendChunks(ReplicaId to, IReadOnlyList<CheckpointChunk> chunks)
    {
        foreach (var chunk in chunks)
        {
            _counting.CheckpointChunkSent();
            _transport.Send(Id, to, chunk);
        }
    }

    private TimeSpan Elapsed() => _time.GetElapsedTime(_startedAt);

    private static EntryLogCheckpoint ToStored(ReplicaCheckpoint checkpoint) => new(checkpoint.Offset, checkpoint.Epoch, checkpoint.State);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "Replica {Replica} refused the checkpoint at LSN {Lsn} sent by {Leader} (the leader sends it again)")]
    private static partial void LogCheckpointRefused(ILogger logger, ReplicaId replica, ReplicaId leader, long lsn, Exception exception);

    [LoggerMessage(EventId = 5, Level = LogLevel.Information, Message = "Replica {Replica} replaced its log by the leader's checkpoint at LSN {Lsn} (epoch {Epoch}, {StateBytes} bytes of state)")]
    private static partial void LogCheckpointInstalled(ILogger logger, ReplicaId replica, long lsn, long epoch, int stateBytes);

    [LoggerMessage(EventId = 6, Level = LogLevel.Debug, Message = "Replica {Replica} wrote its checkpoint at LSN {Lsn} and deleted {Segments} segment files below it")]
    private static partial void LogPrefixDeleted(ILogger logger, ReplicaId replica, long lsn, int segments);
}
