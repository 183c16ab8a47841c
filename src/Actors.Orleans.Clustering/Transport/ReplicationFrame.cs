using Actors.Replication.Messages;
using Orleans.Runtime;

namespace Actors.Orleans.Clustering.Transport;

/// <summary>
/// One replication message between silos with what the receiving silo checks before handing it to a replica
/// (wire format: <see cref="ReplicationFrameCodec"/>).
/// </summary>
/// <param name="ClusterId">The sender's Orleans ClusterId; a receiver of another cluster refuses the frame.</param>
/// <param name="Partition">The partition whose replicas talk.</param>
/// <param name="SenderReplica">The sending silo's replica number (equals <see cref="ReplicationMessage.From"/>).</param>
/// <param name="TargetReplica">The replica number the sender addressed; a silo serving another number drops the frame
/// (the sender's address book was stale).</param>
/// <param name="SenderSilo">The sending silo; the receiver checks it against the calling silo and Orleans's membership.</param>
/// <param name="Message">The replication message.</param>
internal sealed record ReplicationFrame(
    string ClusterId,
    int Partition,
    int SenderReplica,
    int TargetReplica,
    SiloAddress SenderSilo,
    ReplicationMessage Message);
