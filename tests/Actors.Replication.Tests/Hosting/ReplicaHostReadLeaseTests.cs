using Actors.Replication.Options;
using Actors.Replication.Wal;
using static Actors.Replication.Tests.Hosting.ReplicaHostScenarios;

namespace Actors.Replication.Tests.Hosting;

/// <summary>Waiting for a leader's read lease to come back (<see cref="ReplicaHost.WaitForReadLeaseAsync"/>), as a silo's router does.</summary>
public sealed class ReplicaHostReadLeaseTests
{
    /// <summary>
    /// <see cref="ReplicaHostScenarios.StableOptions"/> (followers never leave the in-sync set) with a lease of about
    /// 280 ms: the leader's lease lapses while both followers are paused and can come back only through their answers.
    /// </summary>
    private static ReplicaOptions Options()
    {
        var options = StableOptions();
        options.LeaderTimeout = TimeSpan.FromMilliseconds(300);
        return options;
    }

    [Fact]
    public async Task WaitForReadLease_LapsedWhileTheFollowersArePaused_CompletesOnlyOnceTheyAnswerAgain()
    {
        await using var replicas = new HostedReplicas(3, Options());
        var leader = await replicas.LeaderAsync(1, Generous);
        var followers = replicas.Running.Where(h => h.Id != leader.Id).ToArray();
        await replicas.WaitUntilAsync(_ => leader.HoldsReadLease(), Generous, $"the leader {leader.Id} holding its read lease");

        foreach (var follower in followers)
        {
            await follower.PauseAsync();
        }

        await replicas.WaitUntilAsync(_ => !leader.HoldsReadLease(), Generous, "the leader's read lease lapsing while its followers are paused");
        var lapsedExpiry = leader.ReadLeaseExpiry;
        var leaseBack = leader.WaitForReadLeaseAsync();
        var burstsAtLapse = leader.Counters.Bursts;
        // The leader keeps running (heartbeat ticks every 20 ms) and publishes after every burst; none may wake the waiter.
        await replicas.WaitUntilAsync(_ => leader.Counters.Bursts >= burstsAtLapse + 5, Generous, "five more bursts of the leader's driver loop");
        Assert.False(leaseBack.IsCompleted, "the waiter completed while no follower could answer");

        foreach (var follower in followers)
        {
            follower.Resume();
        }

        await leaseBack.WaitAsync(Generous);
        Assert.True(leader.ReadLeaseExpiry > lapsedExpiry, "the waiter completed without a longer lease being published");
        Assert.True(leader.Status.IsLeader);
    }

    [Fact]
    public async Task WaitForReadLease_HostStopsWhileTheLeaseIsLapsed_Completes()
    {
        await using var replicas = new HostedReplicas(3, Options());
        var leader = await replicas.LeaderAsync(1, Generous);
        foreach (var follower in replicas.Running.Where(h => h.Id != leader.Id))
        {
            await follower.PauseAsync();
        }

        await replicas.WaitUntilAsync(_ => !leader.HoldsReadLease(), Generous, "the leader's read lease lapsing while its followers are paused");
        var leaseBack = leader.WaitForReadLeaseAsync();

        await replicas.KillAsync(leader.Id);

        await leaseBack.WaitAsync(Generous);
    }
}
