using Actors.Replication.Configuration;
using Actors.Replication.Messages;
using Actors.Replication.Options;
using Actors.Replication.Protocol;

namespace Actors.Replication.Tests.Protocol;

public sealed class ReplicaHeartbeatTests : ReplicaProtocolTests
{
    [Fact]
    public void LeaderTick_FollowerProgressingAndSentToWithinTheInterval_NoResendUntilTwoHeartbeatsWithoutProgress()
    {
        var leader = new Replica(R1, [], 0, Recording, Clock, new ReplicaOptions());
        leader.Start();
        leader.OnConfigurationRead(ReplicaConfiguration.Initial(R1, [R1, R2, R3]));
        leader.OnMessage(new AppendAccepted(R2, 1, 0, 0));
        leader.OnMessage(new AppendAccepted(R3, 1, 0, 0));

        Clock.Advance(TimeSpan.FromMilliseconds(40));
        leader.Propose(1, new byte[] { 1 });
        leader.OnMessage(new AppendAccepted(R2, 1, 1, 1));
        leader.OnMessage(new AppendAccepted(R3, 1, 1, 1));

        // Heartbeat due: both followers progressed and were sent a request 10 ms ago: nothing is resent.
        Recording.Sent.Clear();
        Clock.Advance(TimeSpan.FromMilliseconds(10));
        leader.Tick();
        Assert.DoesNotContain(Recording.Sent, s => s.Message is AppendRequest);

        // Entry 2 reaches both; only R3 answers. At the next heartbeat R2 has not progressed: the leader asks where it is
        // (an empty request at its matched offset) instead of resending; R3, which progressed and was sent to recently,
        // gets nothing.
        Clock.Advance(TimeSpan.FromMilliseconds(10));
        leader.Propose(2, new byte[] { 2 });
        leader.OnMessage(new AppendAccepted(R3, 1, 2, 2));
        Recording.Sent.Clear();
        Clock.Advance(ReplicaOptions.DefaultHeartbeatInterval - TimeSpan.FromMilliseconds(10));
        leader.Tick();

        var asked = Assert.Single(Recording.SentTo<AppendRequest>(R2));
        Assert.Equal((1L, 0), (asked.PrevOffset, asked.Entries.Count));
        Assert.Empty(Recording.SentTo<AppendRequest>(R3));

        // Still no progress at the heartbeat after: entry 2 is resent from R2's matched offset.
        Recording.Sent.Clear();
        Clock.Advance(ReplicaOptions.DefaultHeartbeatInterval);
        leader.Tick();

        var resend = Assert.Single(Recording.SentTo<AppendRequest>(R2));
        Assert.Equal((1L, 1), (resend.PrevOffset, resend.Entries.Count));
    }

    [Fact]
    public void LeaderTick_NothingSentWithinTheInterval_HeartbeatCarriesTheCommitOffset()
    {
        var leader = new Replica(R1, [], 0, Recording, Clock, new ReplicaOptions());
        leader.Start();
        leader.OnConfigurationRead(ReplicaConfiguration.Initial(R1, [R1, R2, R3]));
        leader.Propose(1, new byte[] { 1 });
        leader.OnSynced(Recording.Syncs[^1]);
        leader.OnMessage(new AppendAccepted(R2, 1, 1, 1));
        leader.OnMessage(new AppendAccepted(R3, 1, 1, 1));
        Assert.Equal(1, leader.CommittedOffset);

        Recording.Sent.Clear();
        Clock.Advance(ReplicaOptions.DefaultHeartbeatInterval);
        leader.Tick();

        foreach (var follower in new[] { R2, R3 })
        {
            var heartbeat = Assert.Single(Recording.SentTo<AppendRequest>(follower));
            Assert.Equal((1L, 0, 1L), (heartbeat.PrevOffset, heartbeat.Entries.Count, heartbeat.CommittedOffset));
        }
    }
}
