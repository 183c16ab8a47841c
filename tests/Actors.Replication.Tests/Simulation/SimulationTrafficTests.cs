using Xunit.Abstractions;

namespace Actors.Replication.Tests.Simulation;

/// <summary>
/// What the protocol sends when nothing fails: the simulator with no loss, duplication, crash, pause or partition, only
/// delays that reorder messages (up to 5 ms, as a loaded silo's transport reorders the requests it serves concurrently).
/// </summary>
public sealed class SimulationTrafficTests(ITestOutputHelper output)
{
    [Fact]
    public void Simulate_FaultFreeRunsWithReorderingDelays_NoDivergenceAndEveryEntryCarriedOncePerFollower()
    {
        var total = new ReplicationTraffic();
        long entries = 0;
        for (var seed = 1; seed <= 20; seed++)
        {
            var result = new Simulation(seed, FaultFree).Run();
            Assert.True(result.Passed, result.ToString());
            Assert.Equal(0, result.Crashes);
            total.Add(result.Traffic!);
            entries += result.EndOffset;
        }

        var followers = FaultFree.ReplicaCount - 1;
        output.WriteLine($"20 fault-free runs: {entries} entries; {total}; per entry per follower: "
            + $"{(double)total.EntriesCarried / entries / followers:F3} entries carried, "
            + $"{(double)(total.AppendRequests - total.EmptyAppendRequests) / entries / followers:F3} requests with entries, "
            + $"{(double)total.Diverged / entries / followers:F3} divergences");
        Assert.True(entries > 20 * 100, $"too few entries to mean anything: {entries}");
        Assert.Equal(0, total.Diverged);
        Assert.Equal(entries * followers, total.EntriesCarried);
    }

    /// <summary>Three replicas, default timing, an append every 2 ms on average, delays up to 5 ms, slow syncs (30 ms) one in ten, no fault.</summary>
    private static SimulationSettings FaultFree => new()
    {
        ReplicaCount = 3,
        DropRate = 0,
        DuplicateRate = 0,
        MaxDelayMilliseconds = 5,
        MeanFaultIntervalMilliseconds = int.MaxValue,
        MeanAppendIntervalMilliseconds = 2,
        SlowSyncRate = 0.1,
        SlowSyncMilliseconds = 30,
        CompactionInterval = 0,
    };
}
