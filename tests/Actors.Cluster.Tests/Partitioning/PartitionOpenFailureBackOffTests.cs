using Actors.Cluster.Partitioning;
using Actors.Replication;
using Actors.Replication.Wal;
using Actors.Wal;

namespace Actors.Cluster.Tests.Partitioning;

/// <summary>What a failed open of a partition leaves behind (<see cref="PartitionOpenFailure"/>): retried with back-off, or permanent.</summary>
public sealed class PartitionOpenFailureBackOffTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 1, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan First = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan Max = TimeSpan.FromSeconds(10);

    [Fact]
    public void Next_FailuresUnderOneEpoch_WaitDoublesUpToTheMaximum()
    {
        PartitionOpenFailure? failure = null;
        var waits = new List<TimeSpan>();
        for (int i = 0; i < 7; i++)
        {
            failure = PartitionOpenFailure.Next(failure, 3, 7, "lost", new AppendOutcomeUnknownException(new ReplicaId(1), "leadership lost"), Now, First, Max);
            waits.Add(failure.RetryAt - Now);
        }

        Assert.Equal([0.5, 1, 2, 4, 8, 10, 10], waits.Select(w => w.TotalSeconds));
        Assert.Equal((7, false), (failure!.Attempts, failure.IsPermanent));
    }

    [Fact]
    public void Next_FailureUnderALaterEpoch_StartsOverAtTheFirstWait()
    {
        PartitionOpenFailure earlier = PartitionOpenFailure.Next(null, 3, 7, "not leader", new NotLeaderException(new ReplicaId(1), 8, new ReplicaId(2)), Now, First, Max);
        earlier = PartitionOpenFailure.Next(earlier, 3, 7, "not leader", new NotLeaderException(new ReplicaId(1), 8, new ReplicaId(2)), Now, First, Max);

        PartitionOpenFailure later = PartitionOpenFailure.Next(earlier, 3, 9, "io", new IOException("injected"), Now, First, Max);

        Assert.Equal((2, 1), (earlier.Attempts, later.Attempts));
        Assert.Equal(Now + First, later.RetryAt);
    }

    [Fact]
    public void Next_CorruptedLog_PermanentAndNeverDue()
    {
        PartitionOpenFailure failure = PartitionOpenFailure.Next(null, 3, 7, "corrupted", new LogCorruptedException("/p/00000001.seg", 64, "bad CRC"), Now, First, Max);

        Assert.True(failure.IsPermanent);
        Assert.Equal(DateTimeOffset.MaxValue, failure.RetryAt);
        Assert.Contains("failed permanently (corrupted)", failure.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public void IsPermanentCause_LostLeadershipIoAndLockAreTransient_DamageAndStoppedReplicaArePermanent()
    {
        Exception[] transient =
        [
            new NotLeaderException(new ReplicaId(1), 2, null),
            new AppendOutcomeUnknownException(new ReplicaId(1), "leadership lost"),
            new IOException("disk full"),
            new LogFailedException("/p", "fsync", new IOException("EIO")),
            new LogDirectoryLockedException("/p", "/p/.lock"),
        ];
        Exception[] permanent =
        [
            new LogCorruptedException("/p/1.seg", 0, "bad"),
            new ReplicaHostFailedException(new ReplicaId(1), new IOException("EIO")),
            new ReplicationInvariantException(new ReplicaId(1), "two leaders"),
            new UnauthorizedAccessException("denied"),
        ];

        Assert.All(transient, e => Assert.False(PartitionOpenFailure.IsPermanentCause(e), e.GetType().Name));
        Assert.All(permanent, e => Assert.True(PartitionOpenFailure.IsPermanentCause(e), e.GetType().Name));
    }

    [Theory]
    [InlineData(400, 30)]
    [InlineData(30_000, 30)]
    public void Validate_RetryMaxDelayBelowFirstOrNotBelowPartitionWait_FailsNamingTheSetting(int maxMilliseconds, int waitSeconds)
    {
        var options = new ClusterOptions
        {
            PartitionOpenRetryDelay = TimeSpan.FromMilliseconds(500),
            PartitionOpenRetryMaxDelay = TimeSpan.FromMilliseconds(maxMilliseconds),
            PartitionWaitTimeout = TimeSpan.FromSeconds(waitSeconds),
        };

        var result = new ClusterOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains("ClusterOptions.PartitionOpenRetryMaxDelay must be", result.FailureMessage, StringComparison.Ordinal);
    }
}
