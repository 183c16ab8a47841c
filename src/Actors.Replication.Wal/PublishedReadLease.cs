namespace Actors.Replication.Wal;

/// <summary>
/// The leader's read lease as a <see cref="ReplicaHost"/> publishes it to other threads (the silo's router): the expiry
/// computed by the replica as of the last burst of the driver loop, and the waiters for the lease to hold again.
/// </summary>
/// <remarks>Thread safety: <see cref="Publish"/> from the driver loop; every other member from any thread.</remarks>
/// <param name="time">The host's clock (the expiry is one of its timestamps).</param>
/// <param name="isLeader">Whether the replica leads, as last published.</param>
internal sealed class PublishedReadLease(TimeProvider time, Func<bool> isLeader)
{
    /// <summary><see cref="Protocol.Replica.ReadLeaseExpiry"/> as of the last burst of the driver loop (a timestamp of the host's clock).</summary>
    private long _expiry = long.MinValue;

    /// <summary>Completed (and cleared) when the read lease is next published as held, or the host stops.</summary>
    private TaskCompletionSource? _waiters;

    /// <summary>The timestamp until which <see cref="Holds"/> holds, as last published; <see cref="long.MinValue"/> when none.</summary>
    public long Expiry => Volatile.Read(ref _expiry);

    /// <summary>Whether the replica leads and its published lease runs beyond the clock now.</summary>
    public bool Holds() => isLeader() && time.GetTimestamp() < Volatile.Read(ref _expiry);

    /// <summary>Driver loop, after each burst: the replica's expiry now.</summary>
    public void Publish(long expiry) => Volatile.Write(ref _expiry, expiry);

    /// <summary>Completes once the lease holds as published (at once when it holds now), or on <see cref="CompleteWaiters"/>.</summary>
    public Task WaitAsync()
    {
        var waiters = Volatile.Read(ref _waiters);
        if (waiters is null)
        {
            var created = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            waiters = Interlocked.CompareExchange(ref _waiters, created, null) ?? created;
        }

        // Checked after registering: a burst that published the lease just before would not have completed this waiter.
        if (Holds())
        {
            CompleteWaiters();
        }

        return waiters.Task;
    }

    /// <summary>After a burst's publication: wakes the waiters once the lease holds.</summary>
    public void WakeWaitersIfHeld()
    {
        if (Volatile.Read(ref _waiters) is not null && Holds())
        {
            CompleteWaiters();
        }
    }

    /// <summary>Wakes every waiter now (the lease holds, or the host stops).</summary>
    public void CompleteWaiters() => Interlocked.Exchange(ref _waiters, null)?.TrySetResult();
}
