using Actors.Replication.Configuration;
using Actors.Replication.Log;
using Actors.Replication.Messages;
using Actors.Replication.Options;
using Actors.Replication.Protocol;

namespace Actors.Replication.Tests.Protocol;

public sealed class ReplicaBackOffTests : ReplicaProtocolTests
{
    [Fact]
    public void LeaderTick_FollowerSilentForTheLagTimeout_GetsEmptyProbesUntilItAnswers()
    {
        var leader = new Replica(R1, [], 0, Recording, Clock, new ReplicaOptions());
        leader.Start();
        leader.OnConfigurationRead(ReplicaConfiguration.Initial(R1, [R1, R2, R3]));
        for (var request = 1; request <= 5; request++)
        {
            leader.Propose(request, new byte[] { (byte)request });
        }

        // R2 answers every heartbeat (without progress); R3 never does. Before the lag timeout, heartbeats resend R3's
        // backlog (every second heartbeat: the one between asks where it is).
        Heartbeat(leader);
        Assert.Equal(5, LastRequestTo(R3).Entries.Count);

        var beats = (int)(ReplicaOptions.DefaultFollowerLagTimeout / ReplicaOptions.DefaultHeartbeatInterval);
        var backlogsToR2 = 0;
        for (var i = 0; i < beats; i++)
        {
            Heartbeat(leader);
            backlogsToR2 += Recording.SentTo<AppendRequest>(R2).Count(r => r.Entries.Count == 5);
        }

        var probe = LastRequestTo(R3);
        Assert.Empty(probe.Entries);
        Assert.Equal(0, probe.PrevOffset);
        Assert.Equal(beats / 2, backlogsToR2);

        // Its first answer brings its backlog at once.
        Recording.Sent.Clear();
        leader.OnMessage(new AppendAccepted(R3, 1, 0, 0, 0));
        Assert.Equal(5, LastRequestTo(R3).Entries.Count);
    }

    [Fact]
    public void LeaderTick_FollowerNeedingTheCheckpointSilentForTheLagTimeout_GetsProbesNotTheCheckpointUntilItAnswers()
    {
        // A leader restarted over a log that starts at its checkpoint (offset 3): a follower's matched offset (0 in the
        // new epoch) lies below the log's start, so every heartbeat sends it the checkpoint (a host: every chunk of it).
        var checkpoint = new ReplicaCheckpoint(3, 1, new byte[] { 42 });
        var leader = new Replica(R1, checkpoint, 4, [], 1, Recording, Clock, new ReplicaOptions());
        leader.Start();
        leader.OnConfigurationRead(ReplicaConfiguration.Initial(R1, [R1, R2, R3]).WithNewLeader(R1));
        Assert.Equal(ReplicaRole.Leader, leader.Role);

        Heartbeat(leader, r2Matched: 3, r2Epoch: 2);
        Assert.Single(Recording.SentTo<InstallCheckpoint>(R3));

        var beats = (int)(ReplicaOptions.DefaultFollowerLagTimeout / ReplicaOptions.DefaultHeartbeatInterval);
        for (var i = 0; i < beats; i++)
        {
            Heartbeat(leader, r2Matched: 3, r2Epoch: 2);
        }

        Assert.Empty(Recording.SentTo<InstallCheckpoint>(R3));
        var probe = Assert.Single(Recording.SentTo<AppendRequest>(R3));
        Assert.Empty(probe.Entries);
        Assert.Equal((3L, 1L), (probe.PrevOffset, probe.PrevEpoch));

        // Its first answer (it lacks the prefix) brings the checkpoint at once, and again each heartbeat until it installs.
        Recording.Sent.Clear();
        leader.OnMessage(new AppendDiverged(R3, 2, 0, 0));
        Assert.Single(Recording.SentTo<InstallCheckpoint>(R3));
        Heartbeat(leader, r2Matched: 3, r2Epoch: 2);
        Assert.Single(Recording.SentTo<InstallCheckpoint>(R3));
    }

    private void Heartbeat(Replica leader, long r2Matched = 0, long r2Epoch = 1)
    {
        Recording.Sent.Clear();
        Clock.Advance(ReplicaOptions.DefaultHeartbeatInterval);
        leader.Tick();
        leader.OnMessage(new AppendAccepted(R2, r2Epoch, r2Matched, r2Matched, 0));
    }

    private AppendRequest LastRequestTo(ReplicaId follower) => Recording.SentTo<AppendRequest>(follower).Last();
}
