using Actors.Replication.Log;

namespace Actors.Replication.Tests.Log;

public sealed class ReplicaLogTests
{
    [Fact]
    public void EndOffsetOfEpoch_EpochRanges_ReturnsEndOfLastRangeAtOrBelow()
    {
        var log = new ReplicaLog([Entry(1), Entry(1), Entry(3), Entry(3), Entry(5)]);

        Assert.Equal(0, log.EndOffsetOfEpoch(0));
        Assert.Equal(2, log.EndOffsetOfEpoch(1));
        Assert.Equal(2, log.EndOffsetOfEpoch(2));
        Assert.Equal(4, log.EndOffsetOfEpoch(4));
        Assert.Equal(5, log.EndOffsetOfEpoch(9));
    }

    [Fact]
    public void SyncCompleted_TruncatedWhilePending_CoversOnlyWhatSurvived()
    {
        var log = new ReplicaLog([Entry(1)]);
        log.Append(Entry(1));
        log.Append(Entry(1));
        log.SyncRequested(1);
        log.TruncateTo(2);
        log.Append(Entry(2));

        Assert.True(log.SyncCompleted(1));

        Assert.Equal(2, log.DurableOffset);
        Assert.True(log.NeedsSync);
        Assert.False(log.SyncCompleted(1));
    }

    [Fact]
    public void TruncateTo_BelowDurable_LowersDurableAndNeedsSync()
    {
        var log = new ReplicaLog([Entry(1), Entry(1), Entry(1)]);

        log.TruncateTo(1);

        Assert.Equal(1, log.DurableOffset);
        Assert.True(log.NeedsSync);
    }

    [Fact]
    public void Constructor_DecreasingEpochs_Throws()
    {
        Assert.Throws<ArgumentException>(() => new ReplicaLog([Entry(2), Entry(1)]));
    }

    [Fact]
    public void DeletePrefix_DurableCheckpoint_LogStartsAfterItWithItsEpoch()
    {
        var log = new ReplicaLog([Entry(1), Entry(2), Entry(2), Entry(3)]);

        log.DeletePrefix(2);

        Assert.Equal((2L, 2L, 4L), (log.StartOffset, log.StartEpoch, log.EndOffset));
        Assert.Equal(2, log.EpochAt(2));
        Assert.Equal(3, log.EpochAt(4));
        Assert.Equal(2, log.EndOffsetOfEpoch(1));
        Assert.Equal(3, log.EndOffsetOfEpoch(2));
        Assert.Equal(3, log[4].Epoch);
        Assert.Equal(2, log.Read(3, 10).Count);
        Assert.Throws<ArgumentOutOfRangeException>(() => log.EpochAt(1));
        Assert.Throws<ArgumentOutOfRangeException>(() => log.TruncateTo(1));
    }

    [Fact]
    public void ResetTo_PendingSyncRequestedBefore_DurableOnlyAfterALaterSync()
    {
        var log = new ReplicaLog([Entry(1)]);
        log.Append(Entry(1));
        log.SyncRequested(1);

        log.ResetTo(10, 2);
        Assert.True(log.SyncCompleted(1));

        Assert.Equal((10L, 10L, 0L), (log.StartOffset, log.EndOffset, log.DurableOffset));
        Assert.True(log.NeedsSync);
        log.SyncRequested(2);
        Assert.True(log.SyncCompleted(2));
        Assert.Equal(10, log.DurableOffset);
    }

    private static LogEntry Entry(long epoch) => new(epoch, new byte[] { (byte)epoch });
}
