namespace Actors.Replication.Protocol;

/// <summary>A leader's hand-over of its leadership to one in-sync follower, from its start until it steps down or gives up.</summary>
/// <remarks>
/// Contract: this class holds the state; the replica decides every transition (Replica.HandOver.cs has the rules). The
/// configuration write naming the target is sent at most once per hand-over (<see cref="Written"/>); once sent, the
/// hand-over ends only by the replica stepping down (the write took effect) or by the write being resolved as not taken
/// (another version won). Times are readings of the replica's real clock (<see cref="TimeProvider.GetTimestamp"/>).
/// Not thread-safe: the replica's driver thread uses it.
/// </remarks>
/// <param name="target">The follower that is to lead the next epoch.</param>
/// <param name="startedAt">When the hand-over started.</param>
internal sealed class HandOverState(ReplicaId target, long startedAt)
{
    /// <summary>The follower that is to lead the next epoch.</summary>
    public ReplicaId Target { get; } = target;

    /// <summary>When the hand-over started.</summary>
    public long StartedAt { get; } = startedAt;

    /// <summary>Whether the configuration naming <see cref="Target"/> was sent to the store.</summary>
    public bool Written { get; private set; }

    /// <summary>Records that the configuration naming <see cref="Target"/> was sent.</summary>
    public void MarkWritten() => Written = true;
}
