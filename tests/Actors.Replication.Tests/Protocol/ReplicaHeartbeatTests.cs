using Actors.Replication.Configuration;
using Actors.Replication.Messages;
using Actors.Replication.Options;
using Actors.Replication.Protocol;

namespace Actors.Replication.Tests.Protocol;

public sealed class ReplicaHeartbeatTests
{
    private static readonly ReplicaId R1 = new(1);
    private static readonly ReplicaId R2 = new(2);
    private static readonly ReplicaId R3 = new(3);

    private readonly RecordingEnvironment _environment = new();
    private readonly ManualClock _clock = new();

    [Fact]
    public void LeaderTick_FollowerProgressingAndSentToWithinTheInterval_NoResendUntilTwoHeartbeatsWithoutProgress()
    {
        var leader = new Replica(R1, [], 0, _environment, _clock, new ReplicaOptions());
        leader.Start();
        leader.OnConfigurationRead(ReplicaConfiguration.Initial(R1, [R1, R2, R3]));
        leader.OnMessage(new AppendAccepted(R2, 1, 0, 0));
        leader.OnMessage(new AppendAccepted(R3, 1, 0, 0));

        _clock.Advance(TimeSpan.FromMilliseconds(40));
        leader.Propose(1, new byte[] { 1 });
        leader.OnMessage(new AppendAccepted(R2, 1, 1, 1));
        leader.OnMessage(new AppendAccepted(R3, 1, 1, 1));

        // Heartbeat due: both followers progressed and were sent a request 10 ms ago: nothing is resent.
        _environment.Sent.Clear();
        _clock.Advance(TimeSpan.FromMilliseconds(10));
        leader.Tick();
        Assert.DoesNotContain(_environment.Sent, s => s.Message is AppendRequest);

        // Entry 2 reaches both; only R3 answers. At the next heartbeat R2 has not progressed: the leader asks where it is
        // (an empty request at its matched offset) instead of resending; R3, which progressed and was sent to recently,
        // gets nothing.
        _clock.Advance(TimeSpan.FromMilliseconds(10));
        leader.Propose(2, new byte[] { 2 });
        leader.OnMessage(new AppendAccepted(R3, 1, 2, 2));
        _environment.Sent.Clear();
        _clock.Advance(ReplicaOptions.DefaultHeartbeatInterval - TimeSpan.FromMilliseconds(10));
        leader.Tick();

        var asked = Assert.Single(_environment.SentTo<AppendRequest>(R2));
        Assert.Equal((1L, 0), (asked.PrevOffset, asked.Entries.Count));
        Assert.Empty(_environment.SentTo<AppendRequest>(R3));

        // Still no progress at the heartbeat after: entry 2 is resent from R2's matched offset.
        _environment.Sent.Clear();
        _clock.Advance(ReplicaOptions.DefaultHeartbeatInterval);
        leader.Tick();

        var resend = Assert.Single(_environment.SentTo<AppendRequest>(R2));
        Assert.Equal((1L, 1), (resend.PrevOffset, resend.Entries.Count));
    }

    [Fact]
    public void LeaderTick_NothingSentWithinTheInterval_HeartbeatCarriesTheCommitOffset()
    {
        var leader = new Replica(R1, [], 0, _environment, _clock, new ReplicaOptions());
        leader.Start();
        leader.OnConfigurationRead(ReplicaConfiguration.Initial(R1, [R1, R2, R3]));
        leader.Propose(1, new byte[] { 1 });
        leader.OnSynced(_environment.Syncs[^1]);
        leader.OnMessage(new AppendAccepted(R2, 1, 1, 1));
        leader.OnMessage(new AppendAccepted(R3, 1, 1, 1));
        Assert.Equal(1, leader.CommittedOffset);

        _environment.Sent.Clear();
        _clock.Advance(ReplicaOptions.DefaultHeartbeatInterval);
        leader.Tick();

        foreach (var follower in new[] { R2, R3 })
        {
            var heartbeat = Assert.Single(_environment.SentTo<AppendRequest>(follower));
            Assert.Equal((1L, 0, 1L), (heartbeat.PrevOffset, heartbeat.Entries.Count, heartbeat.CommittedOffset));
        }
    }
}
