using Actors.Orleans.EventSourcing;

namespace Actors.Orleans.Tests.EventSourcing;

/// <summary>
/// The staggered checkpoint schedule of journaled grains (<see cref="CheckpointSchedule"/>): grains that advance in
/// lock-step do not all checkpoint at the same version, and each still checkpoints once per interval. Ported from the
/// retired runtime's schedule test.
/// </summary>
public sealed class CheckpointScheduleTests
{
    private const int Grains = 256;
    private const int Every = 64;

    [Fact]
    public void IsDue_GrainsInLockStep_CheckpointsSpreadOverTheInterval()
    {
        var schedule = new CheckpointSchedule(Every, 0);
        ulong[] hashes = [.. Enumerable.Range(0, Grains).Select(i => CheckpointSchedule.StableHash($"s/{i}"))];
        var checkpointVersion = new long[Grains];
        var checkpoints = new int[Grains];
        int mostAtOneVersion = 0;
        for (long version = 1; version <= 10 * Every; version++)
        {
            int due = 0;
            for (int g = 0; g < Grains; g++)
            {
                if (schedule.IsDue(hashes[g], version, checkpointVersion[g], 0))
                {
                    due++;
                    checkpoints[g]++;
                    checkpointVersion[g] = version;
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
    public void IsDue_OneGrain_CheckpointsAtOneFixedPhaseEveryInterval(string stream)
    {
        var schedule = new CheckpointSchedule(10, 0);
        ulong hash = CheckpointSchedule.StableHash(stream);
        long phase = (long)(hash % 10);
        long checkpoint = 0;
        var versions = new List<long>();
        for (long version = 1; version <= 50; version++)
        {
            if (schedule.IsDue(hash, version, checkpoint, 0))
            {
                versions.Add(version);
                checkpoint = version;
            }
        }

        Assert.Equal(Enumerable.Range(1, 50).Where(v => (v + phase) % 10 == 0).Select(v => (long)v), versions);
    }

    [Fact]
    public void IsDue_BatchSpanningAPhaseBoundary_IsDueOnce()
    {
        var schedule = new CheckpointSchedule(10, 0);
        ulong hash = CheckpointSchedule.StableHash("account/42");
        long boundary = 10 - (long)(hash % 10); // the first version v with (v + phase) % 10 == 0, in 1..10

        Assert.False(schedule.IsDue(hash, boundary - 1, 0, 0));
        Assert.True(schedule.IsDue(hash, boundary + 3, 0, 0)); // one batch from version 1 past the boundary
        Assert.False(schedule.IsDue(hash, boundary + 9, boundary + 3, 0)); // that checkpoint covers up to the next boundary
        Assert.True(schedule.IsDue(hash, boundary + 10, boundary + 3, 0));
        Assert.False(schedule.IsDue(hash, 1_000, 1_000, long.MaxValue)); // nothing since the checkpoint: never due
    }

    [Fact]
    public void StableHash_SameStream_SameValueInEveryProcess()
    {
        // Fixed values (FNV-1a over the UTF-16 code units, then a 64-bit finalizer): the schedule must not depend on
        // string.GetHashCode, which is randomized per process.
        Assert.Equal(7430728925864599800UL, CheckpointSchedule.StableHash("account/42"));
        Assert.Equal(13049072829168154643UL, CheckpointSchedule.StableHash("checkpointedledger/bob"));
    }

    [Fact]
    public void IsDue_BytesTrigger_StaggeredBetweenHalfAndAllOfTheThreshold()
    {
        var schedule = new CheckpointSchedule(0, 4096);
        var thresholds = new HashSet<long>();
        for (int g = 0; g < Grains; g++)
        {
            ulong hash = CheckpointSchedule.StableHash($"s/{g}");
            long threshold = 1;
            while (!schedule.IsDue(hash, 1, 0, threshold))
            {
                threshold++;
            }

            Assert.InRange(threshold, 2049, 4096);
            Assert.True(schedule.IsDue(hash, 1, 0, 4096));
            thresholds.Add(threshold);
        }

        Assert.True(thresholds.Count > Grains / 2, $"only {thresholds.Count} distinct byte thresholds among {Grains} grains");
    }
}
