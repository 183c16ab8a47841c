using Actors.Replication.Wal.Materialized;
using Actors.Wal;
using Actors.Wal.Entries;
using Microsoft.Extensions.Logging;

namespace Actors.Replication.Wal.EventLog;

/// <summary>
/// The checkpoint bookkeeping of a <see cref="CommittedEntryApplier"/> (docs/replication.md, "Checkpoints"): with a
/// <see cref="MaterializedCheckpointPolicy"/> the applier offers its local log as its host's checkpoint every so many
/// applied entries or bytes, starts from the host's checkpoint instead of LSN 1, and rebuilds from the host's checkpoint
/// when the host took a leader's. This class owns the counts since the last checkpoint, the compaction in flight, the
/// restore back-off and the counters the applier publishes.
/// </summary>
/// <remarks>
/// <para>Ownership: only the applier's loop calls <see cref="RestoreAsync"/>, <see cref="CountApplied"/> and
/// <see cref="CheckpointIfDueAsync"/>; the counters are read from any thread.</para>
/// <para>Why a checkpoint's state is exactly the materialized log at its LSN: the applier's loop is the only writer of the
/// local log, and it calls <see cref="CheckpointIfDueAsync"/> only between two bursts, after every operation it handed to
/// the log completed and before it reads the next committed entries. So the log holds the effect of every entry up to the
/// applied LSN (each applied, or refused identically on every replica, before the applied LSN moved past its entry) and of
/// none after it; the checkpoint is offered at exactly that LSN. The capture runs on the loop, so applying (and with it the
/// acknowledgement of the partition's writes on a leader) waits for it.</para>
/// <para>Why a rebuild applies nothing twice and skips nothing: the restored log is the state after the checkpoint's LSN
/// (as above, on whichever replica took it; every replica applies the same committed entries identically), and applying
/// resumes at the checkpoint's LSN + 1, which the host's log holds (it starts at its checkpoint).</para>
/// </remarks>
internal sealed partial class CommittedEntryApplierCheckpoints
{
    private readonly MaterializedCheckpointPolicy _policy;
    private readonly ReplicaHost _host;
    private readonly ILogger _logger;
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

    /// <summary>Creates the bookkeeping of <paramref name="host"/>'s applier under <paramref name="policy"/> (validated by the caller).</summary>
    public CommittedEntryApplierCheckpoints(MaterializedCheckpointPolicy policy, ReplicaHost host, ILogger logger)
    {
        _policy = policy;
        _host = host;
        _logger = logger;
    }

    /// <summary>See <see cref="CommittedEntryApplier.CheckpointsOffered"/>.</summary>
    public long CheckpointsOffered => Interlocked.Read(ref _checkpointsOffered);

    /// <summary>See <see cref="CommittedEntryApplier.CheckpointsTaken"/>.</summary>
    public long CheckpointsTaken => Interlocked.Read(ref _checkpointsTaken);

    /// <summary>See <see cref="CommittedEntryApplier.CheckpointsRestored"/>.</summary>
    public long CheckpointsRestored => Interlocked.Read(ref _checkpointsRestored);

    /// <summary>See <see cref="CommittedEntryApplier.RestoredFromLsn"/>.</summary>
    public long RestoredFromLsn => Interlocked.Read(ref _restoredFromLsn);

    /// <summary>See <see cref="CommittedEntryApplier.CaptureFailures"/>.</summary>
    public long CaptureFailures => Interlocked.Read(ref _captureFailures);

    /// <summary>See <see cref="CommittedEntryApplier.RestoreFailures"/>.</summary>
    public long RestoreFailures => Interlocked.Read(ref _restoreFailures);

    /// <summary>See <see cref="CommittedEntryApplier.RestoreFailure"/>.</summary>
    public CheckpointRestoreFailedException? RestoreFailure => _restoreFailure;

    /// <summary>
    /// Rebuilds <paramref name="local"/> from the host's checkpoint when that lies above <paramref name="appliedLsn"/>
    /// (at start: any checkpoint). <paramref name="replacing"/>: the host replaced its log by a leader's checkpoint while
    /// the applier ran; <paramref name="failWaiting"/> then fails the applier's waiting proposers (their outcome is unknown).
    /// </summary>
    /// <returns>
    /// The restored log and the checkpoint's LSN (the new applied LSN), or null when there was nothing to restore; the
    /// applier installs the log, then calls <see cref="Restored"/>.
    /// </returns>
    /// <remarks>
    /// A failed restore is not the end of the replica: it is surfaced (<see cref="RestoreFailure"/>,
    /// <see cref="RestoreFailures"/>, a warning) and tried again after a back-off that doubles from
    /// <see cref="CommittedEntryApplier.FirstRestoreRetryDelay"/> up to <see cref="CommittedEntryApplier.MaxRestoreRetryDelay"/>,
    /// with the host's checkpoint read anew (a newer one may have replaced it). Nothing is applied meanwhile: applying onto
    /// a partly restored log could lose or duplicate writes. The discarded log is closed again by each attempt (closing
    /// twice is a no-op).
    /// </remarks>
    public async Task<(IEventLog Log, long Lsn)?> RestoreAsync(
        IEventLog local, long appliedLsn, bool replacing, Action<Exception> failWaiting, CancellationToken stopping)
    {
        var delay = CommittedEntryApplier.FirstRestoreRetryDelay;
        for (var attempt = 1; ; attempt++)
        {
            var checkpoint = await _host.ReadCheckpointAsync(stopping).ConfigureAwait(false);
            if (checkpoint.Offset <= appliedLsn)
            {
                if (replacing)
                {
                    throw new ReplicationInvariantException(
                        _host.Id, $"its log starts above the applied LSN {appliedLsn}, but its checkpoint is at LSN {checkpoint.Offset}");
                }

                return null;
            }

            if (replacing && attempt == 1)
            {
                // Writes this replica proposed while it led and still waits on lie in entries it will not apply itself: their
                // effect, if they were committed, is in the checkpoint. Their outcome is unknown here.
                failWaiting(new AppendOutcomeUnknownException(_host.Id, $"its replica replaced its log by the leader's checkpoint at LSN {checkpoint.Offset}"));
            }

            IEventLog restored;
            try
            {
                // A compaction offered before is of a state the host no longer needs; whatever it ends as, it changes no entry.
                restored = await _policy.State.RestoreAsync(local, checkpoint.State, stopping).ConfigureAwait(false);
            }
            catch (Exception exception) when (!stopping.IsCancellationRequested)
            {
                var failure = new CheckpointRestoreFailedException(_host.Id, checkpoint.Offset, attempt, delay, exception);
                _restoreFailure = failure;
                Interlocked.Increment(ref _restoreFailures);
                LogRestoreFailed(_logger, _host.Id, checkpoint.Offset, attempt, delay.TotalMilliseconds, failure);
                await Task.Delay(delay, stopping).ConfigureAwait(false);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, CommittedEntryApplier.MaxRestoreRetryDelay.Ticks));
                continue;
            }

            return (restored, checkpoint.Offset);
        }
    }

    /// <summary>
    /// Records a restore the applier installed (its local log replaced by the one <see cref="RestoreAsync"/> returned):
    /// clears <see cref="RestoreFailure"/>, lets <paramref name="advanceApplied"/> move the applied LSN to
    /// <paramref name="lsn"/>, then counts the restore and starts counting towards the next checkpoint afresh.
    /// </summary>
    public void Restored(long lsn, Action<long> advanceApplied)
    {
        _restoreFailure = null;
        advanceApplied(lsn);
        Interlocked.Exchange(ref _restoredFromLsn, lsn);
        Interlocked.Increment(ref _checkpointsRestored);
        _entriesSinceCheckpoint = 0;
        _bytesSinceCheckpoint = 0;
    }

    /// <summary>Counts a burst of applied entries towards the next checkpoint.</summary>
    public void CountApplied(IReadOnlyList<LoggedEntry> entries)
    {
        _entriesSinceCheckpoint += entries.Count;
        foreach (var entry in entries)
        {
            _bytesSinceCheckpoint += entry.Payload.Length;
        }
    }

    /// <summary>
    /// Between two bursts (nothing handed to <paramref name="local"/> is outstanding, everything up to
    /// <paramref name="appliedLsn"/> applied): offers a checkpoint when one is due.
    /// </summary>
    public async Task CheckpointIfDueAsync(IEventLog local, long appliedLsn, CancellationToken stopping)
    {
        if ((_entriesSinceCheckpoint < _policy.EveryEntries && _bytesSinceCheckpoint < _policy.EveryBytes) || !_compaction.IsCompleted)
        {
            return;
        }

        var status = _host.Status;
        if (appliedLsn <= status.StartLsn)
        {
            _entriesSinceCheckpoint = 0;
            _bytesSinceCheckpoint = 0;
            return;
        }

        if (appliedLsn > status.DurableLsn)
        {
            // A follower learns the commit point before its own sync of those entries completes: try after the next burst.
            return;
        }

        // Exact: see the remarks of this class. Nothing is applied while the capture runs.
        byte[] state;
        try
        {
            state = await _policy.State.CaptureAsync(local, stopping).ConfigureAwait(false);
        }
        catch (MaterializedStateException failure)
        {
            // The local log is unchanged (a capture only reads it) and the host keeps every entry: applying goes on, and
            // the capture is tried again after another threshold's worth of entries, not after every burst.
            _entriesSinceCheckpoint = 0;
            _bytesSinceCheckpoint = 0;
            Interlocked.Increment(ref _captureFailures);
            LogCaptureFailed(_logger, _host.Id, appliedLsn, failure);
            return;
        }

        _entriesSinceCheckpoint = 0;
        _bytesSinceCheckpoint = 0;
        Interlocked.Increment(ref _checkpointsOffered);
        _compaction = CompactAsync(appliedLsn, state);
    }

    /// <summary>Hands the captured state to the host (it writes it on its loop while the applier goes on); never faults.</summary>
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
