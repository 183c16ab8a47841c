using Actors.Replication.Wal;
using Actors.Wal.Entries;

namespace Actors.Replication.Tests.Hosting;

/// <summary>
/// Reads of committed entries parked without the driver loop: a read the published commit offset reaches is refused (the
/// loop reads it at once), one it does not reach waits until a publication reaches it, and is served exactly once.
/// </summary>
public sealed class CommittedReadWaitersTests
{
    [Fact]
    public void TryPark_FromAtOrBelowThePublishedCommitOffset_RefusesSoTheLoopReadsAtOnce()
    {
        var waiters = new CommittedReadWaiters();
        waiters.ServeThrough(5, (_, _, _) => Assert.Fail("nothing was parked"));

        Assert.False(waiters.TryPark(5, 10, NewRead()));
        Assert.False(waiters.TryPark(1, 10, NewRead()));
        Assert.True(waiters.TryPark(6, 10, NewRead()));
    }

    [Fact]
    public void ServeThrough_ReachingSomeParkedReads_ServesThoseOnceAndKeepsTheOthers()
    {
        var waiters = new CommittedReadWaiters();
        var served = new List<(long From, int Max)>();
        Assert.True(waiters.TryPark(1, 7, NewRead()));
        Assert.True(waiters.TryPark(3, 9, NewRead()));

        waiters.ServeThrough(2, (from, max, _) => served.Add((from, max)));
        Assert.Equal([(1L, 7)], served);

        served.Clear();
        waiters.ServeThrough(2, (from, max, _) => served.Add((from, max)));
        Assert.Empty(served);

        waiters.ServeThrough(3, (from, max, _) => served.Add((from, max)));
        Assert.Equal([(3L, 9)], served);
    }

    [Fact]
    public void ServeThrough_LowerOffsetThanPublished_KeepsTheHigherOneForLaterParks()
    {
        var waiters = new CommittedReadWaiters();
        waiters.ServeThrough(8, (_, _, _) => { });

        waiters.ServeThrough(4, (_, _, _) => { });

        Assert.False(waiters.TryPark(8, 1, NewRead()));
    }

    private static TaskCompletionSource<IReadOnlyList<LoggedEntry>> NewRead() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
