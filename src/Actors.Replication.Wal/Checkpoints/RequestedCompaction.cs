namespace Actors.Replication.Wal.Checkpoints;

/// <summary>
/// The checkpoint a consumer offered through <see cref="ReplicaHost.CompactAsync"/> while the replica writes it: one at a
/// time, completed true once the replica's checkpoint covers its LSN.
/// </summary>
/// <remarks>Not thread-safe: the host's driver loop owns it.</remarks>
internal sealed class RequestedCompaction
{
    private (long Lsn, TaskCompletionSource<bool> Completion)? _pending;

    /// <summary>Whether a compaction is under way.</summary>
    public bool IsPending => _pending is not null;

    /// <summary>A compaction to <paramref name="lsn"/> starts; <paramref name="completion"/> completes with its outcome.</summary>
    public void Begin(long lsn, TaskCompletionSource<bool> completion) => _pending = (lsn, completion);

    /// <summary>The replica did not take the compaction: it completes false (nothing was done).</summary>
    public void Abandon()
    {
        if (_pending is { } pending)
        {
            _pending = null;
            pending.Completion.TrySetResult(false);
        }
    }

    /// <summary>A checkpoint at <paramref name="checkpointLsn"/> is in force: the compaction it covers completes true.</summary>
    public void CompleteIfCovered(long checkpointLsn)
    {
        if (_pending is { } pending && checkpointLsn >= pending.Lsn)
        {
            _pending = null;
            pending.Completion.TrySetResult(true);
        }
    }

    /// <summary>The host stopped: the compaction under way fails with <paramref name="exception"/>.</summary>
    public void Fail(Exception exception)
    {
        if (_pending is { } pending)
        {
            _pending = null;
            pending.Completion.TrySetException(exception);
        }
    }
}
