using Actors.Replication.Log;
using Actors.Replication.Messages;
using Actors.Replication.Wal.Checkpoints;

namespace Actors.Replication.Tests.Hosting;

/// <summary>
/// The leader's pacing of a checkpoint transfer: a window of chunks beyond what the follower reported, nothing again at
/// the protocol's heartbeats while reports move, a resend from the reported prefix once they stop. Clock readings are
/// given, so every case is exact.
/// </summary>
public sealed class CheckpointSenderTests
{
    private static readonly ReplicaId Leader = new(1);
    private static readonly ReplicaId Follower = new(2);
    private static readonly TimeSpan ResendAfter = TimeSpan.FromMilliseconds(400);

    /// <summary>1,000 bytes in chunks of 100: 10 chunks; a window of 3.</summary>
    private static readonly InstallCheckpoint Install = new(Leader, 6, new ReplicaCheckpoint(40, 5, new byte[1000]), 44);

    [Fact]
    public void Send_NewTransfer_SendsOneWindowAndNothingMoreAtLaterHeartbeats()
    {
        var sender = Sender();

        var first = sender.Send(Follower, Install, At(0));
        var heartbeats = Enumerable.Range(1, 7).SelectMany(i => sender.Send(Follower, Install, At(i * 50))).ToList();

        Assert.Equal([0, 100, 200], first.Select(c => c.ChunkOffset));
        Assert.Empty(heartbeats);
    }

    [Fact]
    public void OnAccepted_PrefixGrows_SendsTheChunksItLetsGoUntilTheEnd()
    {
        var sender = Sender();
        sender.Send(Follower, Install, At(0));

        var afterFirst = sender.OnAccepted(Accepted(100), At(10));
        var afterSecond = sender.OnAccepted(Accepted(200), At(20));
        var sameAgain = sender.OnAccepted(Accepted(200), At(30));
        var rest = new[] { 300, 400, 500, 600, 700, 800, 900, 1000 }.SelectMany(p => sender.OnAccepted(Accepted(p), At(40 + p))).ToList();

        Assert.Equal([300], afterFirst.Select(c => c.ChunkOffset));
        Assert.Equal([400], afterSecond.Select(c => c.ChunkOffset));
        Assert.Empty(sameAgain);
        Assert.Equal([500, 600, 700, 800, 900], rest.Select(c => c.ChunkOffset));
    }

    [Fact]
    public void Send_ReportsStoppedMovingForResendAfter_GoesBackToTheReportedPrefix()
    {
        var sender = Sender();
        sender.Send(Follower, Install, At(0));
        sender.OnAccepted(Accepted(100), At(10)); // chunk 100 was lost: later reports stay at 100

        var beforeTimeout = sender.Send(Follower, Install, At(409));
        var atTimeout = sender.Send(Follower, Install, At(410));

        Assert.Empty(beforeTimeout);
        Assert.Equal([100, 200, 300], atTimeout.Select(c => c.ChunkOffset));
    }

    [Fact]
    public void Send_NoReportAtAllForResendAfter_SendsEveryChunkOncePerResendAfter()
    {
        var sender = Sender();
        sender.Send(Follower, Install, At(0));

        var beforeTimeout = sender.Send(Follower, Install, At(399));
        var atTimeout = sender.Send(Follower, Install, At(400));
        var rightAfter = sender.Send(Follower, Install, At(450));

        Assert.Empty(beforeTimeout);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => i * 100), atTimeout.Select(c => c.ChunkOffset));
        Assert.Empty(rightAfter);
    }

    [Fact]
    public void Send_EveryByteReported_WaitsForTheInstallThenSendsTheWholeCheckpointAgain()
    {
        var sender = Sender();
        sender.Send(Follower, Install, At(0));
        foreach (var prefix in new[] { 300, 600, 900, 1000 })
        {
            sender.OnAccepted(Accepted(prefix), At(prefix));
        }

        var installing = sender.Send(Follower, Install, At(1000 + (ResendAfter.TotalMilliseconds * CheckpointSender.InstallingResendFactor) - 1));
        var lost = sender.Send(Follower, Install, At(1000 + (ResendAfter.TotalMilliseconds * CheckpointSender.InstallingResendFactor)));

        Assert.Empty(installing);
        Assert.Equal([0, 100, 200], lost.Select(c => c.ChunkOffset));
    }

    [Fact]
    public void Send_NewerCheckpointOrEpoch_StartsANewTransfer()
    {
        var sender = Sender();
        sender.Send(Follower, Install, At(0));
        sender.OnAccepted(Accepted(300), At(10));

        var newer = sender.Send(Follower, Install with { Checkpoint = new ReplicaCheckpoint(80, 5, new byte[250]) }, At(20));
        var staleReport = sender.OnAccepted(Accepted(600), At(30));

        Assert.Equal([0, 100, 200], newer.Select(c => c.ChunkOffset));
        Assert.All(newer, c => Assert.Equal(80, c.CheckpointOffset));
        Assert.Empty(staleReport);
    }

    [Fact]
    public void Retain_ANewerCheckpoint_DropsTheTransfersOfOlderOnes()
    {
        var sender = Sender();
        var newer = Install with { Checkpoint = new ReplicaCheckpoint(80, 5, new byte[250]) };
        sender.Send(Follower, Install, At(0));
        sender.Send(new ReplicaId(3), newer, At(0));

        sender.Retain(newer.Checkpoint);
        var report = sender.OnAccepted(Accepted(100), At(10));

        Assert.Equal(1, sender.Transfers);
        Assert.Empty(report);
    }

    [Fact]
    public void OnAccepted_FromAnotherFollowerOrEpoch_SendsNothing()
    {
        var sender = Sender();
        sender.Send(Follower, Install, At(0));

        var otherFollower = sender.OnAccepted(Accepted(300) with { From = new ReplicaId(3) }, At(10));
        var otherEpoch = sender.OnAccepted(Accepted(300) with { Epoch = 7 }, At(10));

        Assert.Empty(otherFollower);
        Assert.Empty(otherEpoch);
    }

    private static CheckpointSender Sender() => new() { ChunkBytes = 100, WindowChunks = 3, ResendAfter = ResendAfter };

    private static CheckpointChunkAccepted Accepted(int prefix)
    {
        var crc = CheckpointChunker.Split(Install, 100).First().StateCrc;
        return new CheckpointChunkAccepted(Follower, Install.Epoch, Install.Checkpoint.Offset, Install.Checkpoint.Epoch, crc, prefix);
    }

    private static TimeSpan At(double milliseconds) => TimeSpan.FromMilliseconds(milliseconds);
}
