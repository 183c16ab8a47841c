using Actors.Wal.Space;
using Actors.Wal.Tests.Support;

namespace Actors.Wal.Tests.Engine;

/// <summary>
/// The committer's live-byte batching: consecutive changes of one segment reach the segment manager as one sum, in
/// order, and nothing is held back once the group is flushed.
/// </summary>
public sealed class CoalescingSpaceAccountTests
{
    [Fact]
    public void AddLive_ConsecutiveChangesOfOneSegment_PassesTheirSumOnFlush()
    {
        var target = new RecordingSpaceAccount();
        var account = new CoalescingSpaceAccount(target);

        account.AddLive(7, 100);
        account.AddLive(7, 120);
        account.AddLive(7, -20);
        Assert.Empty(target.Deltas);

        account.Flush();
        Assert.Equal([(7u, 200L)], target.Deltas);
    }

    [Fact]
    public void AddLive_AnotherSegment_PassesTheHeldSumFirstAndKeepsTheOrder()
    {
        var target = new RecordingSpaceAccount();
        var account = new CoalescingSpaceAccount(target);

        account.AddLive(7, 100);
        account.AddLive(3, -50);
        account.AddLive(3, -25);
        account.AddLive(7, 10);
        account.Flush();

        Assert.Equal([(7u, 100L), (3u, -75L), (7u, 10L)], target.Deltas);
    }

    [Fact]
    public void Flush_ChangesThatCancelOut_PassesNothingAndHoldsNothing()
    {
        var target = new RecordingSpaceAccount();
        var account = new CoalescingSpaceAccount(target);

        account.AddLive(4, 64);
        account.AddLive(4, -64);
        account.Flush();
        account.Flush();

        Assert.Empty(target.Deltas);
    }
}
