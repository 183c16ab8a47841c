using Actors.Replication.Configuration;
using Actors.Replication.Log;
using Actors.Replication.Messages;
using Actors.Replication.Options;
using Actors.Replication.Protocol;

namespace Actors.Replication.Tests.Protocol;

public sealed class ReplicaCheckpointTests : ReplicaProtocolTests
{
    private static readonly byte[] State = [42];

    [Fact]
    public void Compact_CommittedDurableOffset_DeletesEntriesOnlyOnceTheCheckpointIsDurable()
    {
        var leader = LeaderWithThreeCommittedEntries();

        Assert.True(leader.Compact(new ReplicaCheckpoint(2, 1, State)));
        Assert.Empty(Recording.PrefixDeletions);
        Assert.Equal(0, leader.Log.StartOffset);

        leader.OnCheckpointWritten(Assert.Single(Recording.CheckpointWrites).Token);

        Assert.Equal([2L], Recording.PrefixDeletions);
        Assert.Equal((2L, 1L, 3L), (leader.Log.StartOffset, leader.Log.StartEpoch, leader.Log.EndOffset));
        Assert.Equal(2, leader.Checkpoint.Offset);
    }

    [Fact]
    public void Compact_AboveCommittedOffset_Refused()
    {
        var leader = LeaderWithThreeCommittedEntries();
        leader.Propose(4, new byte[] { 4 });

        Assert.Throws<ArgumentOutOfRangeException>(() => leader.Compact(new ReplicaCheckpoint(4, 1, State)));
        Assert.Empty(Recording.CheckpointWrites);
    }

    [Fact]
    public void OnAppendDiverged_FollowerNeedsDeletedEntries_LeaderSendsItsCheckpoint()
    {
        var leader = LeaderWithThreeCommittedEntries();
        leader.Compact(new ReplicaCheckpoint(3, 1, State));
        leader.OnCheckpointWritten(Recording.CheckpointWrites[0].Token);
        Recording.Sent.Clear();

        leader.OnMessage(new AppendDiverged(R3, 1, 0, 0));

        var install = Assert.Single(Recording.SentTo<InstallCheckpoint>(R3));
        Assert.Equal((3L, 1L, 3L), (install.Checkpoint.Offset, install.Checkpoint.Epoch, install.CommittedOffset));
        Assert.Equal(State, install.Checkpoint.State.ToArray());
        Assert.Empty(Recording.SentTo<AppendRequest>(R3));
    }

    [Fact]
    public void OnInstallCheckpoint_FollowerDiverges_ReplacesItsLogAndReportsItDurableOnlyAfterSync()
    {
        var follower = new Replica(R2, [new LogEntry(1, new byte[] { 1 })], 1, Recording, Clock, new ReplicaOptions());

        follower.OnMessage(new InstallCheckpoint(R1, 2, new ReplicaCheckpoint(5, 2, State), 5));

        Assert.Equal(5, Assert.Single(Recording.Installs).Offset);
        Assert.Equal((5L, 5L), (follower.Log.StartOffset, follower.Log.EndOffset));
        var first = Recording.SentTo<AppendAccepted>(R1).Last();
        Assert.Equal((5L, 0L), (first.MatchedOffset, first.DurableOffset));

        follower.OnSynced(Assert.Single(Recording.Syncs));
        var second = Recording.SentTo<AppendAccepted>(R1).Last();
        Assert.Equal((5L, 5L), (second.MatchedOffset, second.DurableOffset));

        follower.OnMessage(new AppendRequest(R1, 2, 5, 2, [new LogEntry(2, new byte[] { 6 })], 6, 5));
        Assert.Equal([(6L, 1)], Recording.Writes);
    }

    [Fact]
    public void OnInstallCheckpoint_FollowerAgreesAtTheCheckpoint_KeepsItsLog()
    {
        var follower = new Replica(R2, [Entry(1), Entry(1), Entry(1)], 1, Recording, Clock, new ReplicaOptions());

        follower.OnMessage(new InstallCheckpoint(R1, 1, new ReplicaCheckpoint(2, 1, State), 2));

        Assert.Empty(Recording.Installs);
        Assert.Equal((0L, 3L), (follower.Log.StartOffset, follower.Log.EndOffset));
        Assert.Equal(2, Recording.SentTo<AppendAccepted>(R1).Last().MatchedOffset);
    }

    [Fact]
    public void OnAppendRequest_PreviousOffsetBelowTheLogStart_TakenFromTheStart()
    {
        var follower = new Replica(
            R2, new ReplicaCheckpoint(3, 1, State), 4, [Entry(1)], 1, Recording, Clock, new ReplicaOptions());

        follower.OnMessage(new AppendRequest(R1, 1, 1, 1, [Entry(1), Entry(1), Entry(1), Entry(1)], 5, 3));

        Assert.Equal([(5L, 1)], Recording.Writes);
        Assert.Empty(Recording.Truncations);
        follower.OnSynced(Assert.Single(Recording.Syncs));
        Assert.Equal((5L, 5L), (Recording.SentTo<AppendAccepted>(R1).Last().MatchedOffset, Recording.SentTo<AppendAccepted>(R1).Last().DurableOffset));
    }

    [Fact]
    public void Constructor_LogStartsAboveTheCheckpoint_RefusesNamingTheMissingEntries()
    {
        var exception = Assert.Throws<ReplicationInvariantException>(() => new Replica(
            R2, new ReplicaCheckpoint(3, 1, State), 6, [Entry(1)], 1, Recording, Clock, new ReplicaOptions()));

        Assert.Contains("entries 4..5 are missing", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_LogOverlapsTheCheckpoint_SkipsTheEntriesItCovers()
    {
        var replica = new Replica(
            R2, new ReplicaCheckpoint(2, 1, State), 1, [Entry(1), Entry(1), Entry(2)], 2, Recording, Clock, new ReplicaOptions());

        Assert.Equal((2L, 1L, 3L, 2L), (replica.Log.StartOffset, replica.Log.StartEpoch, replica.Log.EndOffset, replica.Log.EpochAt(3)));
    }

    /// <summary>A leader of epoch 1 (replicas R1..R3) whose entries 1..3 are durable everywhere and committed.</summary>
    private Replica LeaderWithThreeCommittedEntries()
    {
        var leader = new Replica(R1, [], 0, Recording, Clock, new ReplicaOptions());
        leader.Start();
        leader.OnConfigurationRead(ReplicaConfiguration.Initial(R1, [R1, R2, R3]));
        for (var request = 1; request <= 3; request++)
        {
            leader.Propose(request, new byte[] { (byte)request });
        }

        leader.OnSynced(Recording.Syncs[^1]);
        leader.OnSynced(Recording.Syncs[^1]);
        leader.OnMessage(new AppendAccepted(R2, 1, 3, 3));
        leader.OnMessage(new AppendAccepted(R3, 1, 3, 3));
        Assert.Equal(3, leader.CommittedOffset);
        return leader;
    }

    private static LogEntry Entry(long epoch) => new(epoch, new byte[] { (byte)epoch });
}
