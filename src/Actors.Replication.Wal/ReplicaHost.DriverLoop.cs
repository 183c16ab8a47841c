using Actors.Replication.Protocol;
using Actors.Wal.Entries;

namespace Actors.Replication.Wal;

/// <summary>The driver loop: runs queued work in bursts, syncs the log once per burst (group commit), publishes the replica's state. Declares no state.</summary>
public sealed partial class ReplicaHost
{
    private bool Post(Action action) => _work.Writer.TryWrite(action);

    private async Task RunLoopAsync()
    {
        var reader = _work.Reader;
        try
        {
            while (await reader.WaitToReadAsync().ConfigureAwait(false))
            {
                await _pause.WaitWhilePausedAsync().ConfigureAwait(false);

                _counting.Burst();
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
        _counting.Synced(_replica!.Role == ReplicaRole.Leader);

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
}
