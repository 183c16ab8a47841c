using Actors.Wal.Format;
using Actors.Wal.Index;

namespace Actors.Wal.Tests.Engine;

public sealed class StreamIndexTests
{
    [Fact]
    public void Find_HashCollisionInHotTier_KeepsBothStreamsApart()
    {
        var index = new StreamIndex();
        index.Add(StreamEntry.CreateNew(12345) with { Version = 1 }, "a");
        index.Add(StreamEntry.CreateNew(12345) with { Version = 2 }, "b");

        Assert.Equal(1, index.At(index.Find(12345, "a", NeverOnDisk)).Version);
        Assert.Equal(2, index.At(index.Find(12345, "b", NeverOnDisk)).Version);
        Assert.Equal(-1, index.Find(12345, "c", NeverOnDisk));
        Assert.Equal(2, index.Count);
    }

    [Fact]
    public void Find_IdleCollision_VerifiesAgainstDiskAndPromotesOnlyTheMatch()
    {
        var index = new StreamIndex();
        index.Add(StreamEntry.CreateNew(7) with { LatestPosition = LogPosition.Create(1, 64), Version = 10 }, null);
        index.Add(StreamEntry.CreateNew(7) with { LatestPosition = LogPosition.Create(1, 128), Version = 20 }, null);
        index.DemoteAll();
        int diskReads = 0;
        bool OnDisk(long position, string id)
        {
            diskReads++;
            return id == "x" && position == LogPosition.Create(1, 128);
        }

        int slot = index.Find(7, "x", OnDisk);
        int readsAfterFirst = diskReads;
        int again = index.Find(7, "x", OnDisk);

        Assert.Equal(20, index.At(slot).Version);
        Assert.Equal(slot, again);
        Assert.Equal(readsAfterFirst, diskReads);
        Assert.Equal(-1, index.Find(7, "y", OnDisk));
        Assert.Equal(2, index.Count);
        var slots = new List<int>();
        index.CollectSlots(7, slots);
        Assert.Equal(2, slots.Count);
    }

    [Fact]
    public void DemoteAll_ManyEntries_KeepsEveryStreamFindable()
    {
        var index = new StreamIndex();
        for (int i = 0; i < 10_000; i++)
        {
            string id = $"s{i}";
            index.Add(StreamEntry.CreateNew(Hash(id)) with { Version = i, LatestPosition = i }, id);
        }

        index.DemoteAll();

        for (int i = 0; i < 10_000; i++)
        {
            string id = $"s{i}";
            int slot = index.Find(Hash(id), id, (position, candidate) => position == long.Parse(candidate[1..], System.Globalization.CultureInfo.InvariantCulture));
            Assert.True(slot >= 0, id);
            Assert.Equal(i, index.At(slot).Version);
        }

        Assert.Equal(10_000, index.Count);
        Assert.Equal(10_000, index.OccupiedSlots().Count());
    }

    private static bool NeverOnDisk(long position, string id) => false;

    private static ulong Hash(string id) => StreamHash.Compute(System.Text.Encoding.UTF8.GetBytes(id));
}
