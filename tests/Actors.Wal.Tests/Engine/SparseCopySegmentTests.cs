using Actors.Wal.Tests.Support;

namespace Actors.Wal.Tests.Engine;

/// <summary>
/// <see cref="WriteAheadLogOptions.MaxSparseCopySegments"/>: a stream that is no longer written is copied forward once,
/// into the segment the log writes then, among records that die soon after; the space passes leave that segment in place
/// instead of copying the idle stream again after every rotation, until more such segments than the option allows exist.
/// </summary>
public sealed class SparseCopySegmentTests : LogTestBase
{
    [Fact]
    public async Task RotationPasses_SegmentHoldingOnlyACopy_IsNotCopiedAgain()
    {
        await using (var log = await OpenAsync(o => o.CompactionLiveRatio = 0.5))
        {
            await log.AppendAsync("idle", 0, Events("i1"));
            long busy = await RotateUntilSegmentAsync(log, 0, segment: 3);
            Assert.Equal(1, log.GetStatistics().StreamsRelocated);

            await RotateUntilSegmentAsync(log, busy, segment: 12);

            var stats = log.GetStatistics();
            Assert.Equal(1, stats.StreamsRelocated);
            Assert.True(stats.SegmentsDeleted >= 8, $"the busy stream's dead segments were not deleted: {stats.SegmentsDeleted}");
            Assert.Equal(["i1"], (await log.ReadStreamAsync("idle")).Events.Select(e => Text(e.Payload)));
        }

        await using var reopened = await OpenAsync();
        Assert.Equal(["i1"], (await reopened.ReadStreamAsync("idle")).Events.Select(e => Text(e.Payload)));
    }

    [Fact]
    public async Task RotationPasses_NoSparseCopySegmentsAllowed_CopyTheIdleStreamAgainAndAgain()
    {
        await using var log = await OpenAsync(o => { o.CompactionLiveRatio = 0.5; o.MaxSparseCopySegments = 0; });
        await log.AppendAsync("idle", 0, Events("i1"));

        await RotateUntilSegmentAsync(log, 0, segment: 12);

        Assert.True(log.GetStatistics().StreamsRelocated >= 3, $"copied {log.GetStatistics().StreamsRelocated} times");
        Assert.Equal(["i1"], (await log.ReadStreamAsync("idle")).Events.Select(e => Text(e.Payload)));
    }

    [Fact]
    public async Task RotationPasses_MoreSparseCopySegmentsThanAllowed_CopiesThemTogetherOnce()
    {
        await using (var log = await OpenAsync(o => { o.CompactionLiveRatio = 0.5; o.MaxSparseCopySegments = 1; }))
        {
            await log.AppendAsync("idle-a", 0, Events("a1"));
            long busy = await RotateUntilSegmentAsync(log, 0, segment: 4);
            Assert.Equal(1, log.GetStatistics().StreamsRelocated);

            // idle-b's event lands in segment 4, apart from idle-a's copy: its own copy makes a second such segment.
            await log.AppendAsync("idle-b", 0, Events("b1"));
            busy = await RotateUntilSegmentAsync(log, busy, segment: 12);
            long settled = log.GetStatistics().StreamsRelocated;

            // Each was copied once for its first segment, and both once more when two segments held only copies.
            Assert.Equal(4, settled);
            await RotateUntilSegmentAsync(log, busy, segment: 18);
            Assert.Equal(settled, log.GetStatistics().StreamsRelocated);
            Assert.Equal(["a1"], (await log.ReadStreamAsync("idle-a")).Events.Select(e => Text(e.Payload)));
            Assert.Equal(["b1"], (await log.ReadStreamAsync("idle-b")).Events.Select(e => Text(e.Payload)));
        }

        await using var reopened = await OpenAsync();
        Assert.Equal(["a1"], (await reopened.ReadStreamAsync("idle-a")).Events.Select(e => Text(e.Payload)));
        Assert.Equal(["b1"], (await reopened.ReadStreamAsync("idle-b")).Events.Select(e => Text(e.Payload)));
    }

    [Fact]
    public async Task CompactAsync_SegmentHoldingOnlyACopy_IsCopiedAtOnce()
    {
        await using var log = await OpenAsync(o => o.CompactionLiveRatio = 0.5);
        await log.AppendAsync("idle", 0, Events("i1"));
        await RotateUntilSegmentAsync(log, 0, segment: 6);
        long before = log.GetStatistics().StreamsRelocated;

        Assert.Contains(log.GetSegmentSpace(), s => s.IsSealed && s.LiveBytes > 0 && s.LiveRatio < 0.5);

        var result = await log.CompactAsync();

        Assert.True(result.StreamsRelocated >= 1, "the idle stream's copy was left in place");
        Assert.Equal(before + result.StreamsRelocated, log.GetStatistics().StreamsRelocated);
        Assert.DoesNotContain(log.GetSegmentSpace(), s => s.IsSealed && s.LiveBytes > 0 && s.LiveRatio < 0.5);
        Assert.Equal(["i1"], (await log.ReadStreamAsync("idle")).Events.Select(e => Text(e.Payload)));
    }
}
