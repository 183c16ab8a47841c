using Actors.Replication.Messages;
using Actors.Replication.Wal;

namespace Actors.Orleans.Clustering.Replication;

/// <summary>
/// This silo's end of replication messaging between Orleans silos: the transport each partition's replica sends
/// through, and the registry of the replicas hosted here that arriving messages are handed to.
/// </summary>
/// <remarks>
/// <para>Addressing: a message for replica <c>N</c> of a partition goes to the silo that serves replica number <c>N</c>
/// (the silo whose log directory carries that number, <c>actors_orleans_replicas</c>); there it is handed to the
/// replica of that partition registered with <see cref="Register"/>, or dropped when none is.</para>
/// <para>Best effort, as <see cref="IReplicationTransport"/> requires: a message may be lost, delayed, duplicated or
/// reordered; sending never throws for an unreachable peer and never blocks. Only members of the silo's own Orleans
/// cluster are heard: a message from anything else (a client, a silo of another cluster) or that does not decode is
/// refused without reaching a replica.</para>
/// <para>Thread-safe.</para>
/// </remarks>
internal interface IReplicaMessaging
{
    /// <summary>The transport the replica of <paramref name="partition"/> hosted here sends through.</summary>
    IReplicationTransport For(int partition);

    /// <summary>Hands the messages that arrive for this silo's replica of <paramref name="partition"/> to <paramref name="deliver"/> (any thread; it must return quickly).</summary>
    /// <exception cref="InvalidOperationException">A replica of the partition is registered already.</exception>
    void Register(int partition, Action<ReplicationMessage> deliver);

    /// <summary>Stops handing messages to this silo's replica of <paramref name="partition"/> (later ones are dropped).</summary>
    void Unregister(int partition);
}
