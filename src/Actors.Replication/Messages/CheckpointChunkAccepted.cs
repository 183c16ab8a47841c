namespace Actors.Replication.Messages;

/// <summary>
/// A follower's host tells the leader's host how much of a checkpoint transfer (<see cref="CheckpointChunk"/>s) it holds,
/// after each chunk it took: the leader sends the next chunks as this prefix grows (a window at a time) instead of the
/// whole state again at every heartbeat. Like chunks, the protocol (<see cref="Protocol.Replica"/>) never sees it.
/// </summary>
/// <param name="From">The follower.</param>
/// <param name="Epoch">The epoch of the chunks it answers (the leader's).</param>
/// <param name="CheckpointOffset">The checkpoint's offset, as in its chunks.</param>
/// <param name="CheckpointEpoch">The checkpoint's epoch, as in its chunks.</param>
/// <param name="StateCrc">The whole state's CRC32C, as in its chunks (a different state at the same offset is another transfer).</param>
/// <param name="ReceivedPrefix">The length of the state's prefix the follower holds with no gap (the state's length once it
/// holds every chunk).</param>
public sealed record CheckpointChunkAccepted(
    ReplicaId From,
    long Epoch,
    long CheckpointOffset,
    long CheckpointEpoch,
    uint StateCrc,
    int ReceivedPrefix)
    : ReplicationMessage(From, Epoch);
