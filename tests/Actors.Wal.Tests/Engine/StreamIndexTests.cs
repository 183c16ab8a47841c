using Actors.Wal.Format;
using Actors.Wal.Index;

namespace Actors.Wal.Tests.Engine;

public sealed class StreamIndexTests
{
    [Fact]
    public void Find_HashCollision_KeepsBothStreamsApart()
    {
        var index = new StreamIndex(4);
        var a = StreamEntry.CreateNew(12345, "a");
        a.Version = 1;
        var b = StreamEntry.CreateNew(12345, "b");
        b.Version = 2;
        index.Add(a);
        index.Add(b);

        Assert.Equal(1, index.At(index.Find(12345, "a", (_, _) => false)).Version);
        Assert.Equal(2, index.At(index.Find(12345, "b", (_, _) => false)).Version);
        Assert.Equal(-1, index.Find(12345, "c", (_, _) => false));
    }

    [Fact]
    public void Find_EntryWithoutId_VerifiesAgainstDiskAndAttachesId()
    {
        var index = new StreamIndex(4);
        var idle = StreamEntry.CreateNew(7, null);
        idle.LatestPosition = LogPosition.Create(1, 64);
        index.Add(idle);
        var collision = StreamEntry.CreateNew(7, null);
        collision.LatestPosition = LogPosition.Create(1, 128);
        index.Add(collision);
        int diskReads = 0;
        bool OnDisk(long position, string id)
        {
            diskReads++;
            return (position, id) is (_, "x") && position == LogPosition.Create(1, 128);
        }

        int slot = index.Find(7, "x", OnDisk);
        int again = index.Find(7, "x", OnDisk);

        Assert.Equal(LogPosition.Create(1, 128), index.At(slot).LatestPosition);
        Assert.Equal(slot, again);
        Assert.Equal("x", index.At(slot).Id);
        Assert.True(diskReads <= 3, $"expected the id to be cached after the first lookup, saw {diskReads} disk reads");
    }

    [Fact]
    public void Add_ManyEntries_GrowsAndFindsAll()
    {
        var index = new StreamIndex(16);
        for (int i = 0; i < 10_000; i++)
        {
            string id = $"s{i}";
            index.Add(StreamEntry.CreateNew(StreamHash.Compute(System.Text.Encoding.UTF8.GetBytes(id)), id) with { });
        }

        for (int i = 0; i < 10_000; i++)
        {
            string id = $"s{i}";
            Assert.True(index.Find(StreamHash.Compute(System.Text.Encoding.UTF8.GetBytes(id)), id, (_, _) => false) >= 0, id);
        }

        Assert.Equal(10_000, index.Count);
    }
}
