using Actors.Replication.Log;
using Actors.Replication.Messages;
using Actors.Replication.Options;
using Actors.Replication.Protocol;

namespace Actors.Replication.Tests.Protocol;

/// <summary>The limits of holding requests that arrive ahead of their predecessor (<c>Replica.Ahead.cs</c>).</summary>
public sealed class ReplicaHeldRequestTests : ReplicaProtocolTests
{
    [Fact]
    public void OnAppendRequest_FollowerNotMatchedInTheEpochYet_AnswersDivergedAtItsEnd()
    {
        var follower = new Replica(R2, [], 0, Recording, Clock, new ReplicaOptions());

        follower.OnMessage(Request(epoch: 1, prevOffset: 5));

        Assert.Equal(0, follower.HeldRequests);
        var diverged = Assert.Single(Recording.SentTo<AppendDiverged>(R1));
        Assert.Equal((0L, 0L), (diverged.ProbeOffset, diverged.ProbeEpoch));
    }

    [Fact]
    public void OnAppendRequest_MoreRequestsAheadThanTheLimit_HoldsTheLimitAndAnswersTheRestDiverged()
    {
        var follower = MatchedFollower();

        for (var prev = 1; prev <= Replica.MaxHeldRequests + 1; prev++)
        {
            follower.OnMessage(Request(epoch: 1, prevOffset: prev));
        }

        Assert.Equal(Replica.MaxHeldRequests, follower.HeldRequests);
        var diverged = Assert.Single(Recording.SentTo<AppendDiverged>(R1));
        Assert.Equal(0, diverged.ProbeOffset);

        // The missing first entry arrives: every held request is taken in order.
        follower.OnMessage(Request(epoch: 1, prevOffset: 0));
        Assert.Equal(0, follower.HeldRequests);
        Assert.Equal(Replica.MaxHeldRequests + 1, follower.Log.EndOffset);
    }

    [Fact]
    public void OnAppendRequest_NewEpochWhileRequestsAreHeld_DropsThemAndNeverTakesThem()
    {
        var follower = MatchedFollower();
        follower.OnMessage(Request(epoch: 1, prevOffset: 1));
        Assert.Equal(1, follower.HeldRequests);

        follower.OnMessage(new AppendRequest(R3, 2, 0, 0, [], 0, 0));
        Assert.Equal(0, follower.HeldRequests);

        // The held request's predecessor, of the old epoch, is fenced; the held entry never enters the log.
        follower.OnMessage(Request(epoch: 1, prevOffset: 0));
        Assert.Single(Recording.SentTo<AppendFenced>(R1));
        Assert.Equal(0, follower.Log.EndOffset);
    }

    /// <summary>A follower of R1 in epoch 1 that verified its (empty) log with R1.</summary>
    private Replica MatchedFollower()
    {
        var follower = new Replica(R2, [], 0, Recording, Clock, new ReplicaOptions());
        follower.OnMessage(new AppendRequest(R1, 1, 0, 0, [], 0, 0));
        Assert.Single(Recording.SentTo<AppendAccepted>(R1));
        return follower;
    }

    /// <summary>One entry of <paramref name="epoch"/> at <paramref name="prevOffset"/> + 1 from R1, which leads <paramref name="epoch"/>.</summary>
    private static AppendRequest Request(long epoch, long prevOffset) =>
        new(R1, epoch, prevOffset, prevOffset == 0 ? 0 : epoch, [new LogEntry(epoch, new byte[] { (byte)prevOffset })], prevOffset + 1, 0);
}
