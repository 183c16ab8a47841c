using Actors.Replication.Configuration;
using Actors.Replication.Messages;
using Actors.Replication.Options;
using Actors.Replication.Wal;
using static Actors.Replication.Tests.Hosting.ReplicaHostScenarios;

namespace Actors.Replication.Tests.Hosting;

/// <summary>
/// <see cref="ReplicaHost.HandOverWithinAsync"/>, run for real (three hosts, real threads and time): a hand-over whose
/// target has not caught up gives up after the leader timeout, and is started again until the target has.
/// </summary>
[Trait("Category", "Integration")]
public sealed class ReplicaHostHandOverTests
{
    /// <summary>Heartbeats flow (no follower stands for election); a follower whose acknowledgements are lost stays in sync;
    /// a hand-over whose target is not known to hold the leader's log gives up after 300 ms.</summary>
    private static ReplicaOptions Options() => new()
    {
        HeartbeatInterval = TimeSpan.FromMilliseconds(20),
        FollowerLagTimeout = TimeSpan.FromHours(1),
        LeaderTimeout = TimeSpan.FromMilliseconds(300),
    };

    [Fact]
    public async Task HandOverWithinAsync_TargetCaughtUpOnlyAfterAnAttemptGaveUp_StartsAgainAndNamesTheTargetLeader()
    {
        var network = new LoopbackReplicationTransport();
        await using var replicas = new HostedReplicas(3, Options(), network: network);
        ReplicaHost leader = await replicas.LeaderAsync(1, Generous);
        await leader.AppendAsync("first"u8.ToArray()).WaitAsync(Generous);
        ReplicaId target = replicas.Ids.First(id => id != leader.Id);

        // The target's acknowledgements are lost: the leader cannot know it holds the next entry, so each hand-over attempt
        // gives up after the leader timeout (the leader leads on).
        network.DropWhen = (from, _, message) => from == target && message is AppendAccepted;
        Task<ReplicatedAppendResult> unacknowledged = leader.AppendAsync("second"u8.ToArray());
        Task<ReplicaId?> handOver = leader.HandOverWithinAsync(target, Generous);
        DateTime deadline = DateTime.UtcNow + Generous;
        while (leader.Counters.HandOversStarted < 2)
        {
            Assert.True(DateTime.UtcNow < deadline, $"no second hand-over attempt within {Generous}: {leader.Counters.HandOversStarted} started; leader {leader.Status}");
            Assert.False(handOver.IsCompleted, $"the hand-over ended ({handOver.Status}) before its second attempt");
            await Task.Delay(10);
        }

        network.DropWhen = null;

        Assert.Equal(target, await handOver.WaitAsync(Generous));
        ReplicaConfiguration row = await replicas.Store.ReadAsync();
        Assert.Equal(target, row.Leader);
        Assert.Equal(2, row.Epoch);
        Assert.False(leader.Status.IsLeader, $"the former leader still leads: {leader.Status}");
        await Task.WhenAny(unacknowledged, Task.Delay(Generous));
    }
}
