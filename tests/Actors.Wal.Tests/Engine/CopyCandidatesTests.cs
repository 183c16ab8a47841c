using Actors.Wal.Format;
using Actors.Wal.Index;
using Actors.Wal.Maintenance;

namespace Actors.Wal.Tests.Engine;

public sealed class CopyCandidatesTests
{
    [Fact]
    public void Collect_StreamsWithRunsInTheTargets_NewestFirstHotIncludedPromotedSlotsAndOtherSegmentsLeftOut()
    {
        var index = new StreamIndex();
        index.LoadIdle(
        [
            Entry(hash: 1, segment: 1, offset: 64, version: 1),
            Entry(hash: 2, segment: 1, offset: 128, version: 2),
            Entry(hash: 3, segment: 2, offset: 64, version: 3),
            Entry(hash: 4, segment: 1, offset: 200, version: 4),
        ]);
        var tiers = index.Current;
        int promoted = SlotOf(tiers, version: 4);
        index.AddHot(new HotStream("d", Entry(hash: 4, segment: 1, offset: 300, version: 5), promoted));

        var candidates = CopyCandidates.Collect(tiers, [1]);

        Assert.Equal(3, candidates.Count);
        var walk = Enumerable.Range(0, candidates.Count)
            .Select(rank => (Found: candidates.TryRead(rank, out var entry, out int slot), entry.Version, slot))
            .ToList();
        Assert.Equal([(true, 5, -1), (true, 2, SlotOf(tiers, version: 2)), (true, 1, SlotOf(tiers, version: 1))], walk);
    }

    [Fact]
    public void TryRead_IdleEntryReplacedAfterCollect_RefusesIt()
    {
        var index = new StreamIndex();
        index.LoadIdle([Entry(hash: 1, segment: 1, offset: 64, version: 1), Entry(hash: 2, segment: 1, offset: 128, version: 2)]);
        var tiers = index.Current;
        var candidates = CopyCandidates.Collect(tiers, [1]);

        // An erase or a consolidation replaced the stream's entry with a copy at a later position: the pass's cursor may
        // not serve that position, and the writer would refuse the copy as stale.
        StreamIndex.ReplaceIdle(tiers, SlotOf(tiers, version: 1), Entry(hash: 1, segment: 1, offset: 400, version: 1));

        Assert.True(candidates.TryRead(0, out var unchanged, out _));
        Assert.Equal(2, unchanged.Version);
        Assert.False(candidates.TryRead(1, out _, out _));
    }

    [Fact]
    public void TryRead_SlotPromotedAfterCollect_RefusesIt()
    {
        var index = new StreamIndex();
        index.LoadIdle([Entry(hash: 1, segment: 1, offset: 64, version: 1)]);
        var tiers = index.Current;
        var candidates = CopyCandidates.Collect(tiers, [1]);

        index.AddHot(new HotStream("a", tiers.ReadIdle(0), 0));

        Assert.False(candidates.TryRead(0, out _, out int slot));
        Assert.Equal(0, slot);
    }

    private static StreamEntry Entry(ulong hash, uint segment, long offset, long version)
        => StreamEntry.CreateNew(hash) with { LatestPosition = LogPosition.Create(segment, offset), LatestRunBytes = 40, Version = version };

    private static int SlotOf(IndexTiers tiers, long version)
        => Enumerable.Range(0, tiers.IdleCount).Single(slot => tiers.ReadIdle(slot).Version == version);
}
