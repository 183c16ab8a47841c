namespace Actors.Replication.Log;

/// <summary>
/// The materialized state of a partition log after applying entries 1..<paramref name="Offset"/>: what replaces those
/// entries once they are deleted, and what a leader sends a follower that needs entries it no longer holds.
/// </summary>
/// <param name="Offset">The last entry the state includes. Only a committed (acknowledged) offset is checkpointed, so
/// every replica and every later leader holds the same entries up to here.</param>
/// <param name="Epoch">The epoch of the entry at <paramref name="Offset"/> (0 when <paramref name="Offset"/> is 0): the
/// prefix check of the entry after the checkpoint compares against it.</param>
/// <param name="State">The state's bytes, opaque to the protocol (the driver's state machine produces and installs them).</param>
public sealed record ReplicaCheckpoint(long Offset, long Epoch, ReadOnlyMemory<byte> State)
{
    /// <summary>The empty state before entry 1 (a log that starts at offset 1).</summary>
    public static readonly ReplicaCheckpoint Empty = new(0, 0, ReadOnlyMemory<byte>.Empty);
}
