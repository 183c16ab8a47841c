using Actors.Cluster.Replication;

namespace Actors.Cluster.Tests.Replication;

/// <summary>When a stopped replica is started again (<see cref="ReplicaRestart"/>).</summary>
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
}
