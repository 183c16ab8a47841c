namespace Actors.Replication.Messages;

/// <summary>A message between replicas of one partition log. Every message carries the sender's epoch.</summary>
/// <param name="From">The sender.</param>
/// <param name="Epoch">The sender's epoch when it sent the message.</param>
public abstract record ReplicationMessage(ReplicaId From, long Epoch);
