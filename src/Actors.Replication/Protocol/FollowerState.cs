namespace Actors.Replication.Protocol;

/// <summary>
/// What a replica knows of its leader's log as a follower: how far its log is verified equal to the leader's in the
/// current epoch, and when it last heard from a leader (or saw a newer epoch).
/// </summary>
/// <remarks>
/// Contract: the matched offset only grows within an epoch; <see cref="EnterEpoch"/> (a new epoch entered, as follower or
/// leader) resets it to 0 and forgets that anything matched. The last contact is a reading of the replica's running clock
/// and is only ever set by the replica, never derived here. Not thread-safe: the replica's driver thread uses it.
/// </remarks>
/// <param name="lastContact">The running clock's reading at the replica's start.</param>
internal sealed class FollowerState(TimeSpan lastContact)
{
    /// <summary>When this replica last heard from its leader or saw a newer epoch, on the replica's running clock.</summary>
    public TimeSpan LastLeaderContact { get; private set; } = lastContact;

    /// <summary>This replica's log equals the leader's up to here, as verified in the current epoch (0 after a restart).</summary>
    public long MatchedOffset { get; private set; }

    /// <summary>Whether a request (or a checkpoint) of the current leader passed the prefix check in the current epoch.</summary>
    public bool MatchedInEpoch { get; private set; }

    /// <summary>Records contact with a leader (or a newer epoch) at <paramref name="now"/> on the running clock.</summary>
    public void Heard(TimeSpan now) => LastLeaderContact = now;

    /// <summary>Records that the log is verified equal to the leader's up to <paramref name="offset"/> in this epoch.</summary>
    public void Matched(long offset)
    {
        MatchedInEpoch = true;
        MatchedOffset = Math.Max(MatchedOffset, offset);
    }

    /// <summary>Forgets what was matched: a new epoch has been entered.</summary>
    public void EnterEpoch()
    {
        MatchedOffset = 0;
        MatchedInEpoch = false;
    }
}
