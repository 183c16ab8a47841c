using Actors.Replication.Messages;

namespace Actors.Replication.Wal;

/// <summary>
/// Carries replication messages between the replicas of one partition log (in a cluster: frames of the silo-to-silo
/// transport, encoded with <see cref="ReplicationMessageCodec"/>). The receiving side hands each message to its
/// <see cref="ReplicaHost.Deliver"/>.
/// </summary>
/// <remarks>
/// Best effort: a message may be lost, delayed, duplicated or reordered (the protocol is safe under all of these), so
/// <see cref="Send"/> never throws for an unreachable peer and never blocks on the network. Called from the host's
/// driver loop: it must return quickly.
/// </remarks>
public interface IReplicationTransport
{
    /// <summary>Sends <paramref name="message"/> from <paramref name="from"/> to <paramref name="to"/> (best effort).</summary>
    void Send(ReplicaId from, ReplicaId to, ReplicationMessage message);
}
