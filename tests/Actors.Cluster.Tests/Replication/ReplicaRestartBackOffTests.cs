using Actors.Cluster.Replication;
using Actors.Cluster.Tests.Support;
using Actors.Wal.Entries;

namespace Actors.Cluster.Tests.Replication;

/// <summary>When a stopped replica is started again, and what of its entry log it keeps (<see cref="ReplicaRestart"/>).</summary>
public sealed class ReplicaRestartBackOffTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan First = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan Max = TimeSpan.FromSeconds(10);

    [Fact]
    public void Next_FailingSoonAfterEachStart_WaitDoublesUpToTheMaximum()
    {
        ReplicaRestart? restart = null;
        var waits = new List<TimeSpan>();
        for (int i = 0; i < 7; i++)
        {
            DateTimeOffset startedAt = restart?.RetryAt ?? Now;
            DateTimeOffset failedAt = startedAt + TimeSpan.FromSeconds(1);
            restart = ReplicaRestart.Next(restart, 3, "EIO", 41, startedAt, failedAt, First, Max);
            waits.Add(restart.RetryAt - failedAt);
        }

        Assert.Equal([0.5, 1, 2, 4, 8, 10, 10], waits.Select(w => w.TotalSeconds));
        Assert.Equal((7, 41L), (restart!.Failures, restart.DurableLsn));
    }

    [Fact]
    public void Next_ReplicaRanLongerThanTheMaximumBeforeFailing_StartsOverAtTheFirstWait()
    {
        ReplicaRestart earlier = ReplicaRestart.Next(null, 3, "EIO", 5, Now, Now, First, Max);
        earlier = ReplicaRestart.Next(earlier, 3, "EIO", 5, Now, Now + TimeSpan.FromSeconds(1), First, Max);

        DateTimeOffset startedAt = earlier.RetryAt;
        ReplicaRestart later = ReplicaRestart.Next(earlier, 3, "disk full", null, startedAt, startedAt + Max, First, Max);

        Assert.Equal((2, 1), (earlier.Failures, later.Failures));
        Assert.Equal(startedAt + Max + First, later.RetryAt);
        Assert.Null(later.DurableLsn);
    }

    [Fact]
    public void CutLog_FailedHostHadSyncedLessThanTheLogHolds_EntriesAfterItsDurableLsnRemovedDurably()
    {
        using var directory = new TempDirectory("restart-cut");
        var options = new EntryLogOptions { Directory = directory.Path };
        using (EntryLog written = EntryLog.Open(options))
        {
            written.Append([Entry(1), Entry(2), Entry(3)]);
            written.Sync();
            written.Append([Entry(4), Entry(5)]);
        }

        ReplicaRestart restart = ReplicaRestart.Next(null, 3, "EIO", 3, Now, Now, First, Max);
        using (EntryLog reopened = EntryLog.Open(options))
        {
            Assert.Equal(5, reopened.EndLsn);
            Assert.Equal(RestartCut.Cut, restart.CutLog(reopened));
            Assert.Equal(3, reopened.EndLsn);
        }

        using EntryLog afterwards = EntryLog.Open(options);
        Assert.Equal(3, afterwards.EndLsn);
    }

    [Fact]
    public void CutLog_NoDurableLsnOrNothingBeyondIt_KeepsTheWholeLog()
    {
        using var directory = new TempDirectory("restart-no-cut");
        using EntryLog log = EntryLog.Open(new EntryLogOptions { Directory = directory.Path });
        log.Append([Entry(1), Entry(2)]);

        Assert.Equal(RestartCut.None, ReplicaRestart.Next(null, 3, "dropped", null, Now, Now, First, Max).CutLog(log));
        Assert.Equal(RestartCut.None, ReplicaRestart.Next(null, 3, "EIO", 2, Now, Now, First, Max).CutLog(log));
        Assert.Equal(2, log.EndLsn);
    }

    private static LoggedEntry Entry(long lsn) => new(lsn, 1, new byte[] { (byte)lsn });
}
