using Actors.Checksums;
using Actors.Replication.Log;
using Actors.Replication.Messages;

namespace Actors.Replication.Wal.Checkpoints;

/// <summary>
/// Reassembles the <see cref="CheckpointChunk"/>s a leader sends into the <see cref="InstallCheckpoint"/> they carry,
/// checking the whole state's CRC32C before handing it out. Chunks may be lost, duplicated or reordered: the leader sends
/// them a window at a time as the follower reports the prefix it holds (<see cref="ChunkOutcome.ReceivedPrefix"/>,
/// answered as <see cref="CheckpointChunkAccepted"/>), and goes back to that prefix when the reports stop moving, so the
/// missing ones come again.
/// </summary>
/// <remarks>One transfer per sender at a time: a chunk of another checkpoint (or epoch) from the same sender starts over.
/// Not thread-safe: the host's driver loop owns it.</remarks>
internal sealed class CheckpointAssembler(ReplicaId self)
{
    private readonly Dictionary<ReplicaId, Transfer> _transfers = [];

    /// <summary>
    /// Takes one chunk. Returns the complete message when this chunk completed a transfer whose state matches its
    /// checksum (null while chunks are missing), and the prefix of the state held with no gap.
    /// </summary>
    /// <exception cref="CheckpointTransferRefusedException">The transfer is complete but its state fails the checksum; it is dropped.</exception>
    public ChunkOutcome Add(CheckpointChunk chunk)
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
            return new ChunkOutcome(null, transfer.ReceivedPrefix);
        }

        _transfers.Remove(chunk.From);
        var actual = Crc32C.Compute(transfer.State);
        if (actual != chunk.StateCrc)
        {
            throw new CheckpointTransferRefusedException(
                self, chunk.From, chunk.CheckpointOffset, chunk.CheckpointEpoch,
                $"the reassembled {chunk.StateLength}-byte state has CRC32C {actual:x8}, the leader sent {chunk.StateCrc:x8}");
        }

        var install = new InstallCheckpoint(
            chunk.From, chunk.Epoch, new ReplicaCheckpoint(chunk.CheckpointOffset, chunk.CheckpointEpoch, transfer.State), transfer.CommittedOffset);
        return new ChunkOutcome(install, chunk.StateLength);
    }

    /// <summary>Transfers under way (diagnostics and tests).</summary>
    public int Pending => _transfers.Count;

    /// <summary>What one chunk did: the message its transfer completed (or null), and the prefix of that state held with no gap.</summary>
    internal readonly record struct ChunkOutcome(InstallCheckpoint? Completed, int ReceivedPrefix);

    private sealed class Transfer(CheckpointChunk first)
    {
        private readonly Dictionary<int, int> _received = [];
        private long _bytesReceived;

        public byte[] State { get; } = new byte[first.StateLength];

        public long CommittedOffset { get; private set; }

        public bool IsComplete => _bytesReceived >= State.Length && _received.Count > 0;

        /// <summary>The end of the chunks received back to back from offset 0 (chunks never overlap: the leader cuts them once).</summary>
        public int ReceivedPrefix { get; private set; }

        public bool Matches(CheckpointChunk chunk) =>
            chunk.Epoch == first.Epoch && chunk.CheckpointOffset == first.CheckpointOffset && chunk.CheckpointEpoch == first.CheckpointEpoch
            && chunk.StateLength == first.StateLength && chunk.StateCrc == first.StateCrc;

        public void Add(CheckpointChunk chunk)
        {
            CommittedOffset = Math.Max(CommittedOffset, chunk.CommittedOffset);
            if (!_received.TryAdd(chunk.ChunkOffset, chunk.Bytes.Length))
            {
                return;
            }

            chunk.Bytes.Span.CopyTo(State.AsSpan(chunk.ChunkOffset));
            _bytesReceived += chunk.Bytes.Length;
            while (_received.TryGetValue(ReceivedPrefix, out var length) && length > 0)
            {
                ReceivedPrefix += length;
            }
        }
    }
}
