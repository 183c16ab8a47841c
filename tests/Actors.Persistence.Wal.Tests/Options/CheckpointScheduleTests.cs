namespace Actors.Persistence.Wal.Tests.Options;

/// <summary>
/// The staggered checkpoint schedule (<see cref="CheckpointPolicy.IsDue(string, long, long, long)"/>): grains that
/// advance in lock-step must not all checkpoint at the same version, and each grain still checkpoints once per interval.
/// </summary>
public sealed class CheckpointScheduleTests
{
    private const int Grains = 256;
    private const int Every = 64;

    [Fact]
    public void IsDue_GrainsInLockStep_CheckpointsSpreadOverTheInterval()
    {
        var policy = new CheckpointPolicy(Every, 0, false);
        string[] streams = Enumerable.Range(0, Grains).Select(i => $"s/{i}").ToArray();
        var sinceCheckpoint = new long[Grains];
        var checkpoints = new int[Grains];
        int mostAtOneVersion = 0;
        for (long version = 1; version <= 10 * Every; version++)
        {
            int due = 0;
            for (int g = 0; g < Grains; g++)
            {
                sinceCheckpoint[g]++;
                if (policy.IsDue(streams[g], version, sinceCheckpoint[g], 0))
                {
                    due++;
                    checkpoints[g]++;
                    sinceCheckpoint[g] = 0;
                }
            }

            mostAtOneVersion = Math.Max(mostAtOneVersion, due);
        }

        // Unstaggered, all 256 were due at every 64th version; spread evenly it is 4. A stable hash of 256 ids over 64
        // phases puts at most a few times that on one phase.
        Assert.True(mostAtOneVersion <= 16, $"{mostAtOneVersion} of {Grains} grains checkpointed at the same version");
        Assert.All(checkpoints, count => Assert.Equal(10, count));
    }

    [Theory]
    [InlineData("s/0")]
    [InlineData("account/42")]
    [InlineData("checkpointedledger/bob")]
    public void IsDue_OneGrain_CheckpointsExactlyAtItsPhaseEveryInterval(string stream)
    {
        var policy = new CheckpointPolicy(10, 0, false);
        long phase = policy.PhaseOf(stream);
        long since = 0;
        var versions = new List<long>();
        for (long version = 1; version <= 50; version++)
        {
            since++;
            if (policy.IsDue(stream, version, since, 0))
            {
                versions.Add(version);
                since = 0;
            }
        }

        Assert.InRange(phase, 0, 9);
        Assert.Equal(Enumerable.Range(1, 50).Where(v => (v + phase) % 10 == 0).Select(v => (long)v), versions);
    }

    [Fact]
    public void IsDue_BatchSpanningAPhaseBoundary_IsDueOnce()
    {
        var policy = new CheckpointPolicy(10, 0, false);
        const string stream = "account/42";
        long boundary = 10 - policy.PhaseOf(stream); // the first version v with (v + phase) % 10 == 0, in 1..10

        Assert.False(policy.IsDue(stream, boundary - 1, boundary - 1, 0));
        Assert.True(policy.IsDue(stream, boundary + 3, boundary + 3, 0)); // one batch from version 1 past the boundary
        Assert.False(policy.IsDue(stream, boundary + 9, 6, 0)); // the checkpoint at boundary + 3 covers up to the next one
        Assert.True(policy.IsDue(stream, boundary + 10, 7, 0));
        Assert.False(policy.IsDue(stream, 1_000, 0, long.MaxValue)); // nothing since the checkpoint: never due
    }

    [Fact]
    public void PhaseOf_SameStream_SameInEveryProcessAndPolicy()
    {
        // A fixed value (FNV-1a over the UTF-16 code units, then a 64-bit finalizer, modulo the interval): the schedule
        // must not depend on string.GetHashCode, which is randomized per process.
        Assert.Equal(839, new CheckpointPolicy(1000, 0, false).PhaseOf("account/42"));
        Assert.Equal(839, new CheckpointPolicy(1000, 4096, true).PhaseOf("account/42"));
        Assert.Equal(3, new CheckpointPolicy(10, 0, false).PhaseOf("checkpointedledger/bob"));
        Assert.Equal(0, new CheckpointPolicy(0, 4096, false).PhaseOf("account/42"));
    }

    [Fact]
    public void IsDue_BytesTrigger_StaggeredBetweenHalfAndAllOfTheThreshold()
    {
        var policy = new CheckpointPolicy(0, 4096, false);
        var thresholds = new HashSet<long>();
        for (int g = 0; g < Grains; g++)
        {
            string stream = $"s/{g}";
            long threshold = 1;
            while (!policy.IsDue(stream, 1, 1, threshold))
            {
                threshold++;
            }

            Assert.InRange(threshold, 2049, 4096);
            Assert.True(policy.IsDue(stream, 1, 1, 4096));
            thresholds.Add(threshold);
        }

        Assert.True(thresholds.Count > Grains / 2, $"only {thresholds.Count} distinct byte thresholds among {Grains} grains");
    }
}
