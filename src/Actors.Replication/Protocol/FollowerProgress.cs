namespace Actors.Replication.Protocol;

/// <summary>What a leader knows of one follower in its epoch.</summary>
internal sealed class FollowerProgress
{
    /// <summary>The follower's log equals the leader's up to here.</summary>
    public long MatchedOffset { get; set; }

    /// <summary>Of the matched prefix, the follower has synced up to here.</summary>
    public long DurableOffset { get; set; }

    /// <summary>The newest lease stamp the follower echoed in the leader's epoch (0: none).</summary>
    public long EchoedStamp { get; set; }

    /// <summary>
    /// When the follower last answered (accepted or diverged) in the leader's epoch, on the leader's running clock; the
    /// leader's start there. Silent for <c>FollowerLagTimeout</c>, it gets heartbeats without entries until it answers.
    /// </summary>
    public TimeSpan LastHeard { get; set; }

    /// <summary>
    /// The follower has not accepted a request in the leader's epoch yet, or its last answer was a divergence: where its
    /// log ends is unknown, so new entries wait for its answer instead of being pipelined behind a request whose prefix
    /// may not match (they would arrive ahead of a log that is not verified, and be answered with divergences).
    /// </summary>
    public bool Probing { get; set; } = true;

    /// <summary>
    /// The oldest lease stamp an answer of the follower may echo to be heard (0: any). A follower added to the replica set
    /// during the leader's epoch gets the stamp of the moment it was added: an answer echoing an older one was sent before
    /// (the follower was a replica before, was removed, and its silo may have stopped it and wiped its log since, as
    /// <c>SiloReplicas</c> does), so what it says about the follower's log may no longer hold. Counting it could put an empty
    /// replica in the in-sync set.
    /// </summary>
    public long HeardFromStamp { get; init; }

    /// <summary>The next offset to send.</summary>
    public long NextOffset { get; set; }

    /// <summary>When the leader last sent the follower a request (or its checkpoint), on the leader's running clock.</summary>
    public TimeSpan LastSent { get; set; }

    /// <summary><see cref="MatchedOffset"/> at the previous heartbeat: whether the follower progressed since.</summary>
    public long MatchedAtHeartbeat { get; set; }

    /// <summary>
    /// The previous heartbeat found entries in flight and no progress, and asked the follower where it is (an empty
    /// request at <see cref="MatchedOffset"/>, answered at once) instead of resending them; if the next heartbeat still
    /// finds no progress, they are resent.
    /// </summary>
    public bool Stalled { get; set; }
}
