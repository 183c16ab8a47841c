using Actors.Replication.Configuration;
using Actors.Replication.Log;
using Actors.Replication.Messages;
using Actors.Replication.Options;
using Actors.Replication.Protocol;

namespace Actors.Replication.Tests.Protocol;

public sealed class ReplicaCheckpointTests
{
    private static readonly ReplicaId R1 = new(1);
    private static readonly ReplicaId R2 = new(2);
    private static readonly ReplicaId R3 = new(3);
    private static readonly byte[] State = [42];

    private readonly RecordingEnvironment _environment = new();
    private readonly ManualClock _clock = new();

    [Fact]
    public void Compact_CommittedDurableOffset_DeletesEntriesOnlyOnceTheCheckpointIsDurable()
    {
        var leader = LeaderWithThreeCommittedEntries();

        Assert.True(leader.Compact(new ReplicaCheckpoint(2, 1, State)));
        Assert.Empty(_environment.PrefixDeletions);
        Assert.Equal(0, leader.Log.StartOffset);

        leader.OnCheckpointWritten(Assert.Single(_environment.CheckpointWrites).Token);

        Assert.Equal([2L], _environment.PrefixDeletions);
        Assert.Equal((2L, 1L, 3L), (leader.Log.StartOffset, leader.Log.StartEpoch, leader.Log.EndOffset));
        Assert.Equal(2, leader.Checkpoint.Offset);
    }

    [Fact]
    public void Compact_AboveCommittedOffset_Refused()
    {
        var leader = LeaderWithThreeCommittedEntries();
        leader.Propose(4, new byte[] { 4 });

        Assert.Throws<ArgumentOutOfRangeException>(() => leader.Compact(new ReplicaCheckpoint(4, 1, State)));
        Assert.Empty(_environment.CheckpointWrites);
    }

    [Fact]
    public void OnAppendDiverged_FollowerNeedsDeletedEntries_LeaderSendsItsCheckpoint()
    {
        var leader = LeaderWithThreeCommittedEntries();
        leader.Compact(new ReplicaCheckpoint(3, 1, State));
        leader.OnCheckpointWritten(_environment.CheckpointWrites[0].Token);
        _environment.Sent.Clear();

        leader.OnMessage(new AppendDiverged(R3, 1, 0, 0));

        var install = Assert.Single(_environment.SentTo<InstallCheckpoint>(R3));
        Assert.Equal((3L, 1L, 3L), (install.Checkpoint.Offset, install.Checkpoint.Epoch, install.CommittedOffset));
        Assert.Equal(State, install.Checkpoint.State.ToArray());
        Assert.Empty(_environment.SentTo<AppendRequest>(R3));
    }

    [Fact]
    public void OnInstallCheckpoint_FollowerDiverges_ReplacesItsLogAndReportsItDurableOnlyAfterSync()
    {
        var follower = new Replica(R2, [new LogEntry(1, new byte[] { 1 })], 1, _environment, _clock, new ReplicaOptions());

        follower.OnMessage(new InstallCheckpoint(R1, 2, new ReplicaCheckpoint(5, 2, State), 5));

        Assert.Equal(5, Assert.Single(_environment.Installs).Offset);
        Assert.Equal((5L, 5L), (follower.Log.StartOffset, follower.Log.EndOffset));
        var first = _environment.SentTo<AppendAccepted>(R1).Last();
        Assert.Equal((5L, 0L), (first.MatchedOffset, first.DurableOffset));

        follower.OnSynced(Assert.Single(_environment.Syncs));
        var second = _environment.SentTo<AppendAccepted>(R1).Last();
        Assert.Equal((5L, 5L), (second.MatchedOffset, second.DurableOffset));

        follower.OnMessage(new AppendRequest(R1, 2, 5, 2, [new LogEntry(2, new byte[] { 6 })], 6, 5));
        Assert.Equal([(6L, 1)], _environment.Writes);
    }

    [Fact]
    public void OnInstallCheckpoint_FollowerAgreesAtTheCheckpoint_KeepsItsLog()
    {
        var follower = new Replica(R2, [Entry(1), Entry(1), Entry(1)], 1, _environment, _clock, new ReplicaOptions());

        follower.OnMessage(new InstallCheckpoint(R1, 1, new ReplicaCheckpoint(2, 1, State), 2));

        Assert.Empty(_environment.Installs);
        Assert.Equal((0L, 3L), (follower.Log.StartOffset, follower.Log.EndOffset));
        Assert.Equal(2, _environment.SentTo<AppendAccepted>(R1).Last().MatchedOffset);
    }

    [Fact]
    public void OnAppendRequest_PreviousOffsetBelowTheLogStart_TakenFromTheStart()
    {
        var follower = new Replica(
            R2, new ReplicaCheckpoint(3, 1, State), 4, [Entry(1)], 1, _environment, _clock, new ReplicaOptions());

        follower.OnMessage(new AppendRequest(R1, 1, 1, 1, [Entry(1), Entry(1), Entry(1), Entry(1)], 5, 3));

        Assert.Equal([(5L, 1)], _environment.Writes);
        Assert.Empty(_environment.Truncations);
        follower.OnSynced(Assert.Single(_environment.Syncs));
        Assert.Equal((5L, 5L), (_environment.SentTo<AppendAccepted>(R1).Last().MatchedOffset, _environment.SentTo<AppendAccepted>(R1).Last().DurableOffset));
    }

    [Fact]
    public void Constructor_LogStartsAboveTheCheckpoint_RefusesNamingTheMissingEntries()
    {
        var exception = Assert.Throws<ReplicationInvariantException>(() => new Replica(
            R2, new ReplicaCheckpoint(3, 1, State), 6, [Entry(1)], 1, _environment, _clock, new ReplicaOptions()));

        Assert.Contains("entries 4..5 are missing", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_LogOverlapsTheCheckpoint_SkipsTheEntriesItCovers()
    {
        var replica = new Replica(
            R2, new ReplicaCheckpoint(2, 1, State), 1, [Entry(1), Entry(1), Entry(2)], 2, _environment, _clock, new ReplicaOptions());

        Assert.Equal((2L, 1L, 3L, 2L), (replica.Log.StartOffset, replica.Log.StartEpoch, replica.Log.EndOffset, replica.Log.EpochAt(3)));
    }

    /// <summary>A leader of epoch 1 (replicas R1..R3) whose entries 1..3 are durable everywhere and committed.</summary>
    private Replica LeaderWithThreeCommittedEntries()
    {
        var leader = new Replica(R1, [], 0, _environment, _clock, new ReplicaOptions());
        leader.Start();
        leader.OnConfigurationRead(ReplicaConfiguration.Initial(R1, [R1, R2, R3]));
        for (var request = 1; request <= 3; request++)
        {
            leader.Propose(request, new byte[] { (byte)request });
        }

        leader.OnSynced(_environment.Syncs[^1]);
        leader.OnSynced(_environment.Syncs[^1]);
        leader.OnMessage(new AppendAccepted(R2, 1, 3, 3));
        leader.OnMessage(new AppendAccepted(R3, 1, 3, 3));
        Assert.Equal(3, leader.CommittedOffset);
        return leader;
    }

    private static LogEntry Entry(long epoch) => new(epoch, new byte[] { (byte)epoch });
}
