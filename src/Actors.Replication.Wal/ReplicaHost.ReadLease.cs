namespace Actors.Replication.Wal;

/// <summary>The leader's read lease as the host publishes it to other threads (the silo's router).</summary>
public sealed partial class ReplicaHost
{
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
    public bool HoldsReadLease() => _readLease.Holds();

    /// <summary>The timestamp (of the host's clock) until which <see cref="HoldsReadLease"/> holds, as last published; <see cref="long.MinValue"/> when none.</summary>
    public long ReadLeaseExpiry => _readLease.Expiry;

    /// <summary>
    /// Completes once this replica holds its read lease (<see cref="HoldsReadLease"/>, as published after a burst of the
    /// driver loop), or when the host stops or fails; at once when it holds the lease now. A silo's router waits on it
    /// (besides its periodic re-check) to serve calls again as soon as a lapsed lease is back. Any thread.
    /// </summary>
    /// <remarks>
    /// A wait begun after the host stopped completes only if the lease still holds (it never comes back): a caller that
    /// routes again on every completion must not spin on a stopped host, so it keeps its own periodic re-check.
    /// </remarks>
    public Task WaitForReadLeaseAsync() => _readLease.WaitAsync();
}
