using System.Runtime.CompilerServices;

namespace Actors.Wal;

/// <content>
/// The change feed of the in-memory log (<see cref="ILogChangeFeed"/>): every append, checkpoint and deletion in LSN order,
/// with the same contract as the write-ahead log's (dense LSNs, resume after a stored position, tailing, typed gap and
/// position errors). Every change is durable as soon as it is stored. Nothing is reclaimed, except that erased events
/// (<see cref="DeleteEventsToAsync"/>) leave the feed with their payloads: a reader that has not passed them yet gets a
/// <see cref="ChangeFeedGapException"/> naming them, never a silent skip. The feed keeps a reference to each stored
/// change (the payloads are the log's own copies), so it adds one small object per change to the log's memory.
/// </content>
public sealed partial class InMemoryEventLog : ILogChangeFeed
{
    /// <summary>The name in change-feed errors (the in-memory log has no directory).</summary>
    private const string FeedName = "(in-memory log)";

    /// <inheritdoc />
    /// <remarks>
    /// A position's <see cref="ChangeFeedPosition.Address"/> is ignored (the LSN alone locates a change here); positions
    /// handed out carry the LSN as their address.
    /// </remarks>
    public IAsyncEnumerable<LogChange> ReadChangesAsync(ChangeFeedPosition from, bool follow = true, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        long durable = DurableLsn;
        if (from.Lsn > durable)
        {
            throw new ChangeFeedPositionException(FeedName, from, durable, "the position lies beyond the log's end");
        }

        return ReadChangesCoreAsync(from, follow, cancellationToken);
    }

    private async IAsyncEnumerable<LogChange> ReadChangesCoreAsync(ChangeFeedPosition from, bool follow, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        long next = from.Lsn < 0 ? OldestChangeLsn() : from.Lsn + 1;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            LogChange? change = null;
            Task? committed = null;
            lock (_lock)
            {
                ThrowIfDisposed();
                if (next <= _changes.Count)
                {
                    change = _changes[(int)(next - 1)];
                    if (change is null)
                    {
                        long missingTo = next;
                        while (missingTo < _changes.Count && _changes[(int)missingTo] is null)
                        {
                            missingTo++;
                        }

                        throw new ChangeFeedGapException(FeedName, new ChangeFeedPosition(next - 1, next - 1), next, missingTo);
                    }
                }
                else if (follow)
                {
                    committed = _committed.Task;
                }
                else
                {
                    yield break;
                }
            }

            if (change is not null)
            {
                yield return change;
                next++;
                continue;
            }

            await committed!.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The LSN of the oldest change still held (1 when none was erased; past the end when the log is empty).</summary>
    private long OldestChangeLsn()
    {
        lock (_lock)
        {
            int index = _changes.FindIndex(c => c is not null);
            return index < 0 ? _changes.Count + 1 : index + 1;
        }
    }

    /// <summary>Records a stored change for the feed. Call under the lock, in LSN order.</summary>
    private void AddChange(LogChangeKind kind, string streamId, long version, long lsn, DateTimeOffset timestamp, ReadOnlyMemory<byte> payload)
        => _changes.Add(new LogChange(kind, streamId, version, lsn, timestamp, payload, new ChangeFeedPosition(lsn, lsn)));

    /// <summary>Drops the feed's copies of <paramref name="streamId"/>'s events up to <paramref name="toVersion"/> (erased). Call under the lock.</summary>
    private void EraseChanges(string streamId, long toVersion)
    {
        for (int i = 0; i < _changes.Count; i++)
        {
            if (_changes[i] is { Kind: LogChangeKind.Event } change && change.Version <= toVersion && string.Equals(change.StreamId, streamId, StringComparison.Ordinal))
            {
                _changes[i] = null;
            }
        }
    }

    /// <summary>Drops the feed's copies of <paramref name="streamId"/>'s deleted checkpoints. Call under the lock.</summary>
    private void DeleteCheckpointChanges(string streamId, List<long> versions)
    {
        for (int i = 0; i < _changes.Count; i++)
        {
            if (_changes[i] is { Kind: LogChangeKind.Checkpoint } change && versions.Contains(change.Version) && string.Equals(change.StreamId, streamId, StringComparison.Ordinal))
            {
                _changes[i] = null;
            }
        }
    }

    /// <summary>Wakes tailing readers. Call under the lock.</summary>
    private void SignalCommitted()
    {
        TaskCompletionSource signal = _committed;
        _committed = NewCommitSignal();
        signal.TrySetResult();
    }

    private static TaskCompletionSource NewCommitSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
