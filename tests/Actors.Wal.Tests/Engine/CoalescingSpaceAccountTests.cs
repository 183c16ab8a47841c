using Actors.Wal.Space;
using Actors.Wal.Tests.Support;

namespace Actors.Wal.Tests.Engine;

/// <summary>
/// The committer's live-byte batching: a group's changes reach the segment manager as one sum per segment, only when the
/// group is flushed (after its entries are published), and nothing is held back after that.
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
    public void AddLive_SeveralSegments_PassesNothingBeforeFlushThenOneSumPerSegmentInFirstSeenOrder()
    {
        var target = new RecordingSpaceAccount();
        var account = new CoalescingSpaceAccount(target);

        account.AddLive(7, 100);
        account.AddLive(3, -50);
        account.AddLive(3, -25);
        account.AddLive(7, 10);
        account.AddLive(5, -40);
        Assert.Empty(target.Deltas); // a decrease never reaches a segment before the group's entries are published

        account.Flush();

        Assert.Equal([(7u, 110L), (3u, -75L), (5u, -40L)], target.Deltas);
    }

    [Fact]
    public void AddLive_MoreSegmentsThanItsFirstArray_KeepsEverySum()
    {
        var target = new RecordingSpaceAccount();
        var account = new CoalescingSpaceAccount(target);

        for (uint segment = 1; segment <= 20; segment++)
        {
            account.AddLive(segment, -(long)segment);
            account.AddLive(segment, 2 * (long)segment);
        }

        account.Flush();

        Assert.Equal(Enumerable.Range(1, 20).Select(i => ((uint)i, (long)i)), target.Deltas);
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
