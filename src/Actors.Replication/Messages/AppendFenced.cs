namespace Actors.Replication.Messages;

/// <summary>Follower to a sender of an older epoch: refused; <paramref name="Epoch"/> is the follower's (later) epoch.</summary>
/// <param name="From">The follower.</param>
/// <param name="Epoch">The follower's epoch, later than the request's.</param>
public sealed record AppendFenced(ReplicaId From, long Epoch) : ReplicationMessage(From, Epoch);
