namespace Actors.Replication.Messages;

/// <summary>Follower to leader: "my log equals yours up to <paramref name="MatchedOffset"/>, durably up to <paramref name="DurableOffset"/>".</summary>
/// <param name="From">The follower.</param>
/// <param name="Epoch">The epoch the follower accepted (the leader's).</param>
/// <param name="MatchedOffset">The follower's log is known to equal the leader's up to here (in this epoch).</param>
/// <param name="DurableOffset">Of the matched prefix, entries up to here are synced on the follower's disk.</param>
/// <param name="EchoedStamp">The newest <see cref="AppendRequest.LeaseStamp"/> the follower received from its leader in
/// <paramref name="Epoch"/>, or 0 (none yet, or the follower has asked the store to lead: then its word that it will not
/// ask before the stamp + its leader timeout no longer holds).</param>
public sealed record AppendAccepted(ReplicaId From, long Epoch, long MatchedOffset, long DurableOffset, long EchoedStamp = 0)
    : ReplicationMessage(From, Epoch);
