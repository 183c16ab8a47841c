using Actors.Replication.Protocol;

namespace Actors.Replication.Wal;

/// <summary>The leader's read lease as the host publishes it to other threads (the silo's router).</summary>
public sealed partial class ReplicaHost
{
    /// <summary><see cref="Replica.ReadLeaseExpiry"/> as of the last burst of the driver loop (a timestamp of the host's clock).</summary>
    private long _readLeaseExpiry = long.MinValue;

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

    private void PublishReadLease(Replica replica) => Volatile.Write(ref _readLeaseExpiry, replica.ReadLeaseExpiry);
}
