using Actors.Replication.Log;
using Actors.Replication.Messages;
using Actors.Replication.Wal;
using Actors.Replication.Wal.Checkpoints;

namespace Actors.Replication.Tests.Hosting;

/// <summary>Cutting a checkpoint into chunks and putting it back together on the follower, checked against the whole state's CRC32C.</summary>
public sealed class CheckpointAssemblerTests
{
    private static readonly ReplicaId Leader = new(1);
    private static readonly ReplicaId Follower = new(2);

    [Fact]
    public void Add_ChunksReorderedAndDuplicated_YieldsTheCheckpointOnceComplete()
    {
        var install = Install(state: Enumerable.Range(0, 1000).Select(i => (byte)i).ToArray());
        var chunks = CheckpointChunker.Split(install, 64).ToArray();
        var assembler = new CheckpointAssembler(Follower);
        var order = chunks.Reverse().Concat(chunks.Take(3)).ToArray();

        var results = order.Take(chunks.Length - 1).Select(assembler.Add).ToArray();
        var complete = assembler.Add(order[chunks.Length - 1]).Completed;

        Assert.Equal(16, chunks.Length);
        Assert.All(results, r => Assert.Null(r.Completed));
        Assert.NotNull(complete);
        Assert.Equal(install.Checkpoint.State.ToArray(), complete.Checkpoint.State.ToArray());
        Assert.Equal((40L, 5L, 44L), (complete.Checkpoint.Offset, complete.Checkpoint.Epoch, complete.CommittedOffset));
        Assert.Equal(0, assembler.Pending);
    }

    [Fact]
    public void Add_AChunkWhoseBytesChanged_RefusesTheTransferNamingTheCheckpoint()
    {
        var install = Install(state: new byte[300]);
        var chunks = CheckpointChunker.Split(install, 100).ToArray();
        chunks[1] = chunks[1] with { Bytes = Enumerable.Repeat((byte)7, 100).ToArray() };
        var assembler = new CheckpointAssembler(Follower);
        assembler.Add(chunks[0]);
        assembler.Add(chunks[1]);

        var refused = Assert.Throws<CheckpointTransferRefusedException>(() => assembler.Add(chunks[2]));

        Assert.Equal(40, refused.CheckpointOffset);
        Assert.Equal(Leader, refused.Leader);
        Assert.Contains("CRC32C", refused.Message, StringComparison.Ordinal);
        Assert.Equal(0, assembler.Pending);
    }

    [Fact]
    public void Split_EmptyState_IsOneEmptyChunkThatCompletesAtOnce()
    {
        var chunks = CheckpointChunker.Split(Install(state: []), 64).ToArray();

        var complete = new CheckpointAssembler(Follower).Add(Assert.Single(chunks)).Completed;

        Assert.NotNull(complete);
        Assert.Equal(0, complete.Checkpoint.State.Length);
    }

    [Fact]
    public void Add_ChunksWithAGap_ReportsThePrefixUpToTheGapUntilItIsFilled()
    {
        var install = Install(state: new byte[500]);
        var chunks = CheckpointChunker.Split(install, 100).ToArray();
        var assembler = new CheckpointAssembler(Follower);

        var prefixes = new[] { 0, 1, 3, 4 }.Select(i => assembler.Add(chunks[i]).ReceivedPrefix).ToArray();
        var last = assembler.Add(chunks[2]);

        Assert.Equal([100, 200, 200, 200], prefixes);
        Assert.Equal(500, last.ReceivedPrefix);
        Assert.NotNull(last.Completed);
    }

    private static InstallCheckpoint Install(byte[] state) => new(Leader, 6, new ReplicaCheckpoint(40, 5, state), 44);
}
