namespace Actors.Replication;

/// <summary>
/// A replica observed a state the protocol rules out (for example two leaders claiming one epoch, or a driver
/// reporting a disk completion that was never requested). The replica must not continue: its log may be wrong.
/// </summary>
public sealed class ReplicationInvariantException : ReplicationException
{
    /// <summary>Creates the exception.</summary>
    public ReplicationInvariantException(ReplicaId replica, string message)
        : base($"Replica {replica}: {message}")
    {
        Replica = replica;
    }

    /// <summary>The replica that observed the impossible state.</summary>
    public ReplicaId Replica { get; }
}
