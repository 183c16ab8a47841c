namespace Actors.Replication.Messages;

/// <summary>
/// One piece of an <see cref="InstallCheckpoint"/> as a host sends it: a checkpoint's state can be far larger than one
/// transport frame, so the sending host cuts it into chunks and the receiving host reassembles them, checks the whole
/// state against <paramref name="StateCrc"/> and only then hands the <see cref="InstallCheckpoint"/> to its replica. The
/// protocol itself (<see cref="Protocol.Replica"/>) never sees chunks.
/// </summary>
/// <param name="From">The leader.</param>
/// <param name="Epoch">The leader's epoch.</param>
/// <param name="CheckpointOffset">The checkpoint's offset (the last entry its state includes).</param>
/// <param name="CheckpointEpoch">The epoch of the entry at <paramref name="CheckpointOffset"/>.</param>
/// <param name="CommittedOffset">As in <see cref="InstallCheckpoint.CommittedOffset"/>.</param>
/// <param name="StateLength">The whole state's length in bytes.</param>
/// <param name="StateCrc">CRC32C of the whole state.</param>
/// <param name="ChunkOffset">Where <paramref name="Bytes"/> start in the state.</param>
/// <param name="Bytes">This chunk's part of the state (owned by the message).</param>
public sealed record CheckpointChunk(
    ReplicaId From,
    long Epoch,
    long CheckpointOffset,
    long CheckpointEpoch,
    long CommittedOffset,
    int StateLength,
    uint StateCrc,
    int ChunkOffset,
    ReadOnlyMemory<byte> Bytes)
    : ReplicationMessage(From, Epoch);
