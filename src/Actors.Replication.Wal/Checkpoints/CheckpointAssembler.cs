using Actors.Checksums;
using Actors.Replication.Log;
using Actors.Replication.Messages;

namespace Actors.Replication.Wal.Checkpoints;

/// <summary>
/// Reassembles the <see cref="CheckpointChunk"/>s a leader sends into the <see cref="InstallCheckpoint"/> they carry,
/// checking the whole state's CRC32C before handing it out. Chunks may be lost, duplicated or reordered (the leader
/// resends the whole checkpoint every heartbeat until the follower answers, so the missing ones come again).
/// </summary>
/// <remarks>One transfer per sender at a time: a chunk of another checkpoint (or epoch) from the same sender starts over.
/// Not thread-safe: the host's driver loop owns it.</remarks>
internal sealed class CheckpointAssembler(ReplicaId self)
{
    private readonly Dictionary<ReplicaId, Transfer> _transfers = [];

    /// <summary>
    /// Takes one chunk. Returns the complete message when this chunk completed a transfer whose state matches its
    /// checksum; null while chunks are missing.
    /// </summary>
    /// <exception cref="CheckpointTransferRefusedException">The transfer is complete but its state fails the checksum; it is dropped.</exception>
    public InstallCheckpoint? Add(CheckpointChunk chunk)
    {
        ArgumentNullException.ThrowIfNull(chunk);
        if (chunk.ChunkOffset < 0 || chunk.StateLength < 0 || (long)chunk.ChunkOffset + chunk.Bytes.Length > chunk.StateLength)
        {
            throw new CheckpointTransferRefusedException(
                self, chunk.From, chunk.CheckpointOffset, chunk.CheckpointEpoch,
                $"a chunk of {chunk.Bytes.Length} bytes at {chunk.ChunkOffset} does not fit the {chunk.StateLength}-byte state");
        }

        if (!_transfers.TryGetValue(chunk.From, out var transfer) || !transfer.Matches(chunk))
        {
            transfer = new Transfer(chunk);
            _transfers[chunk.From] = transfer;
        }

        transfer.Add(chunk);
        if (!transfer.IsComplete)
        {
            return null;
        }

        _transfers.Remove(chunk.From);
        var actual = Crc32C.Compute(transfer.State);
        if (actual != chunk.StateCrc)
        {
            throw new CheckpointTransferRefusedException(
                self, chunk.From, chunk.CheckpointOffset, chunk.CheckpointEpoch,
                $"the reassembled {chunk.StateLength}-byte state has CRC32C {actual:x8}, the leader sent {chunk.StateCrc:x8}");
        }

        return new InstallCheckpoint(
            chunk.From, chunk.Epoch, new ReplicaCheckpoint(chunk.CheckpointOffset, chunk.CheckpointEpoch, transfer.State), transfer.CommittedOffset);
    }

    /// <summary>Transfers under way (diagnostics and tests).</summary>
    public int Pending => _transfers.Count;

    private sealed class Transfer(CheckpointChunk first)
    {
        private readonly HashSet<int> _received = [];
        private long _bytesReceived;

        public byte[] State { get; } = new byte[first.StateLength];

        public long CommittedOffset { get; private set; }

        public bool IsComplete => _bytesReceived >= State.Length && _received.Count > 0;

        public bool Matches(CheckpointChunk chunk) =>
            chunk.Epoch == first.Epoch && chunk.CheckpointOffset == first.CheckpointOffset && chunk.CheckpointEpoch == first.CheckpointEpoch
            && chunk.StateLength == first.StateLength && chunk.StateCrc == first.StateCrc;

        public void Add(CheckpointChunk chunk)
        {
            CommittedOffset = Math.Max(CommittedOffset, chunk.CommittedOffset);
            if (!_received.Add(chunk.ChunkOffset))
            {
                return;
            }

            chunk.Bytes.Span.CopyTo(State.AsSpan(chunk.ChunkOffset));
            _bytesReceived += chunk.Bytes.Length;
        }
    }
}
