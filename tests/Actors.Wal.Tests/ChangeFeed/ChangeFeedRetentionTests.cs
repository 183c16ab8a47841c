using Actors.Wal.Tests.Support;

namespace Actors.Wal.Tests.ChangeFeed;

/// <summary>Retained change-feed readers (<see cref="WriteAheadLog.RetainChanges"/>): segments kept until the reader advances, within a bound.</summary>
public sealed class ChangeFeedRetentionTests : LogTestBase
{
    [Fact]
    public async Task RetainChanges_ReaderBehindReclaimableSegments_KeepsThemUntilItAdvances()
    {
        await using var log = await OpenAsync(o => o.CompactionLiveRatio = 0);
        using var retention = log.RetainChanges("projection", ChangeFeedPosition.Beginning);
        await WriteReclaimableHistoryAsync(log);

        Assert.Equal(0, (await log.CompactAsync()).SegmentsDeleted);
        var all = await ChangeFeedTests.ReadAllAsync(log, ChangeFeedPosition.Beginning);
        Assert.Equal(Enumerable.Range(1, all.Count).Select(i => (long)i), all.Select(c => c.Lsn));
        Assert.True(log.GetStatistics().ChangeFeedRetainedBytes > 0);

        long deletedBefore = log.GetStatistics().SegmentsDeleted;
        retention.Advance(all[^1].Position);
        await log.CompactAsync();

        // Counted by the log: a background space pass (requested at a rotation) may delete them before CompactAsync does.
        Assert.True(log.GetStatistics().SegmentsDeleted > deletedBefore, "segments the reader passed are deleted");
        Assert.False(retention.IsDropped);
        await Assert.ThrowsAsync<ChangeFeedGapException>(() => ChangeFeedTests.ReadAllAsync(log, ChangeFeedPosition.Beginning));
    }

    [Fact]
    public async Task RetainChanges_ReaderHoldingMoreThanTheBound_IsDroppedTypedAndCountedAndItsSegmentsGo()
    {
        await using var log = await OpenAsync(o =>
        {
            o.CompactionLiveRatio = 0;
            o.MaxChangeFeedRetainedBytes = 64 * 1024;
        });
        using var retention = log.RetainChanges("dead-reader", ChangeFeedPosition.Beginning);
        await WriteReclaimableHistoryAsync(log);

        // The pass after a rotation may drop the reader and delete the segments before CompactAsync does (seen under
        // load: CompactAsync deleted 0): count every deletion since open. Nothing is deleted while the reader holds.
        await log.CompactAsync();
        Assert.True(log.GetStatistics().SegmentsDeleted > 0, "a dropped reader holds nothing");

        Assert.True(retention.IsDropped);
        var dropped = Assert.Throws<ChangeFeedReaderDroppedException>(() => retention.Advance(new ChangeFeedPosition(1, -1)));
        Assert.Equal(("dead-reader", 64L * 1024), (dropped.ReaderName, dropped.MaxBytes));
        Assert.True(dropped.HeldBytes > dropped.MaxBytes);
        Assert.Equal(1, log.GetStatistics().ChangeFeedReadersDropped);
    }

    [Fact]
    public async Task RetainChanges_Disposed_HoldsNothing()
    {
        await using var log = await OpenAsync(o => o.CompactionLiveRatio = 0);
        var retention = log.RetainChanges("gone", ChangeFeedPosition.Beginning);
        await WriteReclaimableHistoryAsync(log);
        // The passes the rotations asked for run while the retention holds: one still running after the disposal would
        // delete the segments before CompactAsync (seen under load: SegmentsDeleted 0).
        await log.WhenMaintenanceIdleAsync();

        retention.Dispose();

        Assert.True((await log.CompactAsync()).SegmentsDeleted > 0);
        Assert.Throws<ObjectDisposedException>(() => retention.Advance(ChangeFeedPosition.AfterLsn(1)));
    }

    [Fact]
    public async Task RetainChanges_PositionBeyondTheDurableEnd_ThrowsPositionException()
    {
        await using var log = await OpenAsync();
        await log.AppendAsync("s", 0, Events("1"));

        Assert.Throws<ChangeFeedPositionException>(() => log.RetainChanges("r", ChangeFeedPosition.AfterLsn(9)));
    }

    /// <summary>Several segments of one stream, then a checkpoint covering them: without readers they are dead.</summary>
    private static async Task WriteReclaimableHistoryAsync(WriteAheadLog log)
    {
        for (int i = 0; i < 60; i++)
        {
            await log.AppendAsync("s", i, [new byte[3000]]);
        }

        await log.WriteCheckpointAsync("s", 60, Bytes("state@60"));
        await log.AppendAsync("s", 60, Events("61"));
    }
}
