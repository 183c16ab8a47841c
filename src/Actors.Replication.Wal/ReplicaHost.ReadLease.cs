using Actors.Replication.Protocol;

namespace Actors.Replication.Wal;

/// <summary>The leader's read lease as the host publishes it to other threads (the silo's router).</summary>
public sealed partial class ReplicaHost
{
    /// <summary><see cref="Replica.ReadLeaseExpiry"/> as of the last burst of the driver loop (a timestamp of the host's clock).</summary>
    private long _readLeaseExpiry = long.MinValue;

    /// <summary>Completed (and cleared) when the read lease is next published as held, or the host stops.</summary>
    private TaskCompletionSource? _readLeaseWaiters;

    /// <summary>
    /// Whether this replica may serve a read now: it leads and its read lease (docs/replication.md, "Reads after
    /// failover") runs beyond the host's clock now. While it holds, no other replica can have acknowledged anything in a
    /// later epoch, so state that holds every entry this leader acknowledged holds every acknowledged entry.
    /// </summary>
    /// <remarks>
    /// The expiry is published after each burst of the driver loop; between bursts it only gets older, never longer
    /// than the replica computed (a lease is safe until its expiry whatever happens meanwhile, so a step-down that the
    /// loop has not published yet does not make it unsafe). A paused or starved host keeps its last expiry, which real
    /// time overtakes. Any thread.
    /// </remarks>
    public bool HoldsReadLease() =>
        _status.IsLeader && _time.GetTimestamp() < Volatile.Read(ref _readLeaseExpiry);

    /// <summary>The timestamp (of the host's clock) until which <see cref="HoldsReadLease"/> holds, as last published; <see cref="long.MinValue"/> when none.</summary>
    public long ReadLeaseExpiry => Volatile.Read(ref _readLeaseExpiry);

    /// <summary>
    /// Completes once this replica holds its read lease (<see cref="HoldsReadLease"/>, as published after a burst of the
    /// driver loop), or when the host stops or fails; at once when it holds the lease now. A silo's router waits on it
    /// (besides its periodic re-check) to serve calls again as soon as a lapsed lease is back. Any thread.
    /// </summary>
    /// <remarks>
    /// A wait begun after the host stopped completes only if the lease still holds (it never comes back): a caller that
    /// routes again on every completion must not spin on a stopped host, so it keeps its own periodic re-check.
    /// </remarks>
    public Task WaitForReadLeaseAsync()
    {
        var waiters = Volatile.Read(ref _readLeaseWaiters);
        if (waiters is null)
        {
            var created = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            waiters = Interlocked.CompareExchange(ref _readLeaseWaiters, created, null) ?? created;
        }

        // Checked after registering: a burst that published the lease just before would not have completed this waiter.
        if (HoldsReadLease())
        {
            CompleteReadLeaseWaiters();
        }

        return waiters.Task;
    }

    private void PublishReadLease(Replica replica) => Volatile.Write(ref _readLeaseExpiry, replica.ReadLeaseExpiry);

    /// <summary>After a burst's publication: wakes the waiters of <see cref="WaitForReadLeaseAsync"/> once the lease holds.</summary>
    private void WakeReadLeaseWaitersIfHeld()
    {
        if (Volatile.Read(ref _readLeaseWaiters) is not null && HoldsReadLease())
        {
            CompleteReadLeaseWaiters();
        }
    }

    private void CompleteReadLeaseWaiters() => Interlocked.Exchange(ref _readLeaseWaiters, null)?.TrySetResult();
}
