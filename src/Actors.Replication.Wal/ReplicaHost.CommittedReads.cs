using Actors.Wal.Entries;

namespace Actors.Replication.Wal;

/// <summary>Reads of committed entries, served by the driver loop, or parked (without the loop) until the entries are committed. Declares no state.</summary>
public sealed partial class ReplicaHost
{
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

            // A read the published commit offset does not reach parks without waking the loop, which serves it when it
            // publishes an offset that does; one it reaches, the loop serves at once. A loop that ends before serving it
            // drops it: then the next round reports why it ended.
            if ((_committedReads.TryPark(fromLsn, maxCount, read) || Post(() => ReadCommitted(fromLsn, maxCount, read)))
                && await Task.WhenAny(read.Task, _loopEnded.Task).WaitAsync(cancellationToken).ConfigureAwait(false) == read.Task)
            {
                return await read.Task.ConfigureAwait(false);
            }
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
}
