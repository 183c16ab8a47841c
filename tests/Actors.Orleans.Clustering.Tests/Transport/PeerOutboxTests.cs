using Actors.Orleans.Clustering.Transport;
using Orleans.Runtime;

namespace Actors.Orleans.Clustering.Tests.Transport;

/// <summary>
/// <see cref="PeerOutbox"/>: the frames waiting for one peer leave in one batch (one Orleans call), in queue order, within
/// the batch's frame and byte limits.
/// </summary>
public sealed class PeerOutboxTests
{
    private static readonly SiloAddress Peer = SiloAddress.FromParsableString("127.0.0.1:11111@1");

    [Fact]
    public void TryDequeueBatch_FramesWaiting_TakesThemAllInQueueOrderInOneBatch()
    {
        var outbox = new PeerOutbox(Peer, 16);
        byte[][] frames = [.. Enumerable.Range(0, 5).Select(i => new byte[] { (byte)i })];
        foreach (byte[] frame in frames)
        {
            Assert.True(outbox.TryEnqueue(frame));
        }

        byte[][]? batch = outbox.TryDequeueBatch(maxFrames: 256, maxBytes: 1024);

        Assert.NotNull(batch);
        Assert.Equal(frames, batch);
        Assert.Null(outbox.TryDequeueBatch(256, 1024));
    }

    [Fact]
    public void TryDequeueBatch_MoreThanTheLimits_TakesUpToTheFrameLimitOrByteLimitAndLeavesTheRestQueued()
    {
        var outbox = new PeerOutbox(Peer, 16);
        for (int i = 0; i < 6; i++)
        {
            Assert.True(outbox.TryEnqueue(new byte[100]));
        }

        Assert.Equal(4, outbox.TryDequeueBatch(maxFrames: 4, maxBytes: 1024)!.Length);
        Assert.Single(outbox.TryDequeueBatch(maxFrames: 4, maxBytes: 150)!);
        Assert.Single(outbox.TryDequeueBatch(maxFrames: 4, maxBytes: 1024)!);
        Assert.Null(outbox.TryDequeueBatch(4, 1024));

        // A frame larger than the byte limit still leaves, alone; the queue's room is given back.
        Assert.True(outbox.TryEnqueue(new byte[4096]));
        Assert.True(outbox.TryEnqueue(new byte[1]));
        Assert.Equal(4096, Assert.Single(outbox.TryDequeueBatch(4, 1024)!).Length);
        for (int i = 0; i < 15; i++)
        {
            Assert.True(outbox.TryEnqueue(new byte[1]), $"frame {i} refused: the outbox should have room for 16 again");
        }
    }
}
