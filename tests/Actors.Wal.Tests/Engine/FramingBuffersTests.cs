using Actors.Wal.Writing;

namespace Actors.Wal.Tests.Engine;

/// <summary>The framing buffers groups outgrew, kept for later groups (Writing/FramingBuffers): largest first, bounded.</summary>
public sealed class FramingBuffersTests
{
    [Fact]
    public void TakeAtLeast_LargestKeptTooSmall_ReturnsNullAndKeepsIt()
    {
        var buffers = new FramingBuffers(maxBytes: 1 << 20);
        buffers.Give(new byte[1000]);

        Assert.Null(buffers.TakeAtLeast(1001));
        Assert.Equal(1000, buffers.KeptBytes);
    }

    [Fact]
    public void TakeAtLeast_SeveralKept_ReturnsTheLargestOnce()
    {
        var buffers = new FramingBuffers(maxBytes: 1 << 20);
        buffers.Give(new byte[1000]);
        buffers.Give(new byte[4000]);
        buffers.Give(new byte[2000]);

        Assert.Equal(4000, buffers.TakeAtLeast(10)?.Length);
        Assert.Equal(2000, buffers.TakeAtLeast(10)?.Length);
        Assert.Equal(1000, buffers.KeptBytes);
    }

    [Fact]
    public void Give_MoreThanMaxBuffers_KeepsTheLargest()
    {
        var buffers = new FramingBuffers(maxBytes: 1 << 30);
        for (int i = 1; i <= FramingBuffers.MaxBuffers + 4; i++)
        {
            buffers.Give(new byte[i * 100]);
        }

        long expected = Enumerable.Range(5, FramingBuffers.MaxBuffers).Sum(i => i * 100L);
        Assert.Equal(expected, buffers.KeptBytes);
        Assert.Equal((FramingBuffers.MaxBuffers + 4) * 100, buffers.TakeAtLeast(1)?.Length);
    }

    [Fact]
    public void Give_PastMaxBytes_DropsTheSmallestOrTheGivenOne()
    {
        var buffers = new FramingBuffers(maxBytes: 5000);
        buffers.Give(new byte[2000]);
        buffers.Give(new byte[2500]);
        buffers.Give(new byte[3000]); // over 5,000 bytes: the 2,000 and then the 2,500 make room
        buffers.Give(new byte[1000]); // fits beside the 3,000
        buffers.Give(new byte[6000]); // larger than the cap: never kept

        Assert.Equal(4000, buffers.KeptBytes);
        Assert.Equal(3000, buffers.TakeAtLeast(1)?.Length);
        Assert.Equal(1000, buffers.TakeAtLeast(1)?.Length);
        Assert.Null(buffers.TakeAtLeast(1));
    }
}
