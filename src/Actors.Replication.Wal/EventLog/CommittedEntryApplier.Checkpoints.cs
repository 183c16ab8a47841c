using Actors.Replication.Wal.Materialized;
using Actors.Wal.Entries;
using Microsoft.Extensions.Logging;

namespace Actors.Replication.Wal.EventLog;

/// <summary>
/// Checkpoints of the materialized log (docs/replication.md, "Checkpoints"): with a <see cref="MaterializedCheckpointPolicy"/>
/// the applier offers its local log as its host's checkpoint every so many applied entries or bytes, starts from the
/// host's checkpoint instead of LSN 1, and rebuilds from the host's checkpoint when the host took a leader's.
/// </summary>
/// <remarks>
/// <para>Why a checkpoint's state is exactly the materialized log at its LSN: the applier's loop is the only writer of the
/// local log, and it captures the log only between two bursts, after every operation it handed to the log completed
/// (<c>FinishStartedAsync</c>) and before it reads the next committed entries. So the log holds the effect of every entry
/// up to <see cref="AppliedLsn"/> (each applied, or refused identically on every replica, before the applied LSN moved past
/// its entry) and of none after it; the checkpoint is offered at exactly that LSN. The capture runs on the loop, so
/// applying (and with it the acknowledgement of the partition's writes on a leader) waits for it.</para>
/// <para>Why a rebuild applies nothing twice and skips nothing: the restored log is the state after the checkpoint's LSN
/// (as above, on whichever replica took it; every replica applies the same committed entries identically), and applying
/// resumes at the checkpoint's LSN + 1, which the host's log holds (it starts at its checkpoint).</para>
/// </remarks>
public sealed partial class CommittedEntryApplier
{
    private readonly MaterializedCheckpointPolicy? _checkpoints;
    private long _entriesSinceCheckpoint;
    private long _bytesSinceCheckpoint;
    private Task _compaction = Task.CompletedTask;
    private long _checkpointsOffered;
    private long _checkpointsTaken;
    private long _checkpointsRestored;
    private long _restoredFromLsn;
    private long _restoreFailures;
    private long _captureFailures;
    private volatile CheckpointRestoreFailedException? _restoreFailure;

    /// <summary>The back-off after a first failed restore of the host's checkpoint (doubling after each further failure): 100 ms.</summary>
    public static readonly TimeSpan FirstRestoreRetryDelay = TimeSpan.FromMilliseconds(100);

    /// <summary>The longest back-off between two restores of the host's checkpoint: 10 s.</summary>
    public static readonly TimeSpan MaxRestoreRetryDelay = TimeSpan.FromSeconds(10);

    /// <summary>Checkpoints of the local log captured and offered to the host.</summary>
    public long CheckpointsOffered => Interlocked.Read(ref _checkpointsOffered);

    /// <summary>Offered checkpoints the host wrote durably (and deleted the entries below, as far as whole segments allow).</summary>
    public long CheckpointsTaken => Interlocked.Read(ref _checkpointsTaken);

    /// <summary>Times the local log was rebuilt from the host's checkpoint (at start, or after the host took a leader's).</summary>
    public long CheckpointsRestored => Interlocked.Read(ref _checkpointsRestored);

    /// <summary>The LSN of the checkpoint the local log was last rebuilt from (0: none, it was built from LSN 1).</summary>
    public long RestoredFromLsn => Interlocked.Read(ref _restoredFromLsn);

    /// <summary>
    /// Captures of the local log that failed (<see cref="MaterializedStateException"/>, logged as a warning): applying goes
    /// on, nothing is offered, and the next capture is tried once as many entries or bytes were applied again (the host's
    /// entry log keeps every entry meanwhile).
    /// </summary>
    public long CaptureFailures => Interlocked.Read(ref _captureFailures);

    /// <summary>Restores from the host's checkpoint that failed (each is retried after a back-off).</summary>
    public long RestoreFailures => Interlocked.Read(ref _restoreFailures);

    /// <summary>
    /// Why the latest restore from the host's checkpoint failed while the applier still retries it (the applier applies
    /// nothing meanwhile), or null when the last restore succeeded or none failed.
    /// </summary>
    public CheckpointRestoreFailedException? RestoreFailure => _restoreFailure;

    /// <summary>
    /// Rebuilds the local log from the host's checkpoint when it lies above what was applied (at start: any checkpoint).
    /// <paramref name="replacing"/>: the host replaced its log by a leader's checkpoint while this applier ran.
    /// </summary>
    /// <remarks>
    /// A failed restore is not the end of the replica: it is surfaced (<see cref="RestoreFailure"/>,
    /// <see cref="RestoreFailures"/>, a warning) and tried again after a back-off that doubles from
    /// <see cref="FirstRestoreRetryDelay"/> up to <see cref="MaxRestoreRetryDelay"/>, with the host's checkpoint read anew
    /// (a newer one may have replaced it). Nothing is applied meanwhile: applying onto a partly restored log could lose
    /// or duplicate writes. The discarded log is closed again by each attempt (closing twice is a no-op).
    /// </remarks>
    private async Task RestoreFromCheckpointAsync(bool replacing)
    {
        var policy = _checkpoints!;
        var delay = FirstRestoreRetryDelay;
        for (var attempt = 1; ; attempt++)
        {
            var checkpoint = await _host.ReadCheckpointAsync(_stopping.Token).ConfigureAwait(false);
            if (checkpoint.Offset <= AppliedLsn)
            {
                if (replacing)
                {
                    throw new ReplicationInvariantException(
                        _host.Id, $"its log starts above the applied LSN {AppliedLsn}, but its checkpoint is at LSN {checkpoint.Offset}");
                }

                return;
            }

            if (replacing && attempt == 1)
            {
                // Writes this replica proposed while it led and still waits on lie in entries it will not apply itself: their
                // effect, if they were committed, is in the checkpoint. Their outcome is unknown here.
                FailWaiting(new AppendOutcomeUnknownException(_host.Id, $"its replica replaced its log by the leader's checkpoint at LSN {checkpoint.Offset}"));
            }

            try
            {
                // A compaction offered before is of a state the host no longer needs; whatever it ends as, it changes no entry.
                _local = await policy.State.RestoreAsync(_local, checkpoint.State, _stopping.Token).ConfigureAwait(false);
            }
            catch (Exception exception) when (!_stopping.IsCancellationRequested)
            {
                var failure = new CheckpointRestoreFailedException(_host.Id, checkpoint.Offset, attempt, delay, exception);
                _restoreFailure = failure;
                Interlocked.Increment(ref _restoreFailures);
                LogRestoreFailed(_logger, _host.Id, checkpoint.Offset, attempt, delay.TotalMilliseconds, failure);
                await Task.Delay(delay, _stopping.Token).ConfigureAwait(false);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxRestoreRetryDelay.Ticks));
                continue;
            }

            _restoreFailure = null;
            Volatile.Write(ref _appliedLsn, checkpoint.Offset);
            Interlocked.Exchange(ref _restoredFromLsn, checkpoint.Offset);
            Interlocked.Increment(ref _checkpointsRestored);
            _entriesSinceCheckpoint = 0;
            _bytesSinceCheckpoint = 0;
            Advanced();
            return;
        }
    }

    private void CountApplied(IReadOnlyList<LoggedEntry> entries)
    {
        _entriesSinceCheckpoint += entries.Count;
        foreach (var entry in entries)
        {
            _bytesSinceCheckpoint += entry.Payload.Length;
        }
    }

    /// <summary>Between two bursts (nothing handed to the local log is outstanding): offers a checkpoint when one is due.</summary>
    private async Task CheckpointIfDueAsync()
    {
        var policy = _checkpoints!;
        if ((_entriesSinceCheckpoint < policy.EveryEntries && _bytesSinceCheckpoint < policy.EveryBytes) || !_compaction.IsCompleted)
        {
            return;
        }

        var lsn = AppliedLsn;
        var status = _host.Status;
        if (lsn <= status.StartLsn)
        {
            _entriesSinceCheckpoint = 0;
            _bytesSinceCheckpoint = 0;
            return;
        }

        if (lsn > status.DurableLsn)
        {
            // A follower learns the commit point before its own sync of those entries completes: try after the next burst.
            return;
        }

        // Exact: see the remarks of this file. Nothing is applied while the capture runs.
        byte[] state;
        try
        {
            state = await policy.State.CaptureAsync(_local, _stopping.Token).ConfigureAwait(false);
        }
        catch (MaterializedStateException failure)
        {
            // The local log is unchanged (a capture only reads it) and the host keeps every entry: applying goes on, and
            // the capture is tried again after another threshold's worth of entries, not after every burst.
            _entriesSinceCheckpoint = 0;
            _bytesSinceCheckpoint = 0;
            Interlocked.Increment(ref _captureFailures);
            LogCaptureFailed(_logger, _host.Id, lsn, failure);
            return;
        }

        _entriesSinceCheckpoint = 0;
        _bytesSinceCheckpoint = 0;
        Interlocked.Increment(ref _checkpointsOffered);
        _compaction = CompactAsync(lsn, state);
    }

    /// <summary>Hands the captured state to the host (it writes it on its loop while this applier goes on); never faults.</summary>
    private async Task CompactAsync(long lsn, byte[] state)
    {
        try
        {
            if (await _host.CompactAsync(lsn, state).ConfigureAwait(false))
            {
                Interlocked.Increment(ref _checkpointsTaken);
            }
        }
        catch (ArgumentOutOfRangeException)
        {
            // The host's log changed under the offer (it took a leader's checkpoint, or its durable LSN lags): the next one.
        }
        catch (Exception exception) when (exception is ObjectDisposedException or ReplicaHostFailedException)
        {
            // The host stopped; it reports its own failure.
        }
    }

    [LoggerMessage(EventId = 7, Level = LogLevel.Warning, Message = "Replica {Replica} could not capture its materialized log at LSN {Lsn} as a checkpoint; it goes on applying, keeps every entry and tries again after the next checkpoint interval")]
    private static partial void LogCaptureFailed(ILogger logger, ReplicaId replica, long lsn, Exception exception);

    [LoggerMessage(EventId = 8, Level = LogLevel.Warning, Message = "Replica {Replica} could not rebuild its materialized log from the checkpoint at LSN {Lsn} (attempt {Attempt}); it applies nothing until a restore succeeds and tries again in {RetryInMs} ms")]
    private static partial void LogRestoreFailed(ILogger logger, ReplicaId replica, long lsn, int attempt, double retryInMs, Exception exception);
}
