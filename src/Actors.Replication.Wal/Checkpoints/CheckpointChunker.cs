using Actors.Checksums;
using Actors.Replication.Messages;

namespace Actors.Replication.Wal.Checkpoints;

/// <summary>Cuts an <see cref="InstallCheckpoint"/> into <see cref="CheckpointChunk"/>s that each fit a transport frame.</summary>
internal static class CheckpointChunker
{
    /// <summary>The default largest state slice per chunk: 256 KiB, well under the silo transport's frame limit.</summary>
    public const int DefaultChunkBytes = 256 * 1024;

    /// <summary>The chunks of <paramref name="install"/>, in state order (one empty chunk for an empty state).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="chunkBytes"/> is below 1.</exception>
    public static IEnumerable<CheckpointChunk> Split(InstallCheckpoint install, int chunkBytes)
    {
        ArgumentNullException.ThrowIfNull(install);
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkBytes, 1);
        var checkpoint = install.Checkpoint;
        var state = checkpoint.State;
        var crc = Crc32C.Compute(state.Span);
        var offset = 0;
        do
        {
            var length = Math.Min(chunkBytes, state.Length - offset);
            yield return new CheckpointChunk(
                install.From, install.Epoch, checkpoint.Offset, checkpoint.Epoch, install.CommittedOffset, state.Length, crc, offset, state.Slice(offset, length));
            offset += length;
        }
        while (offset < state.Length);
    }
}
