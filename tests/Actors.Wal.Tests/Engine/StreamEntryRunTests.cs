using Actors.Wal.Format;
using Actors.Wal.Index;
using Actors.Wal.Tests.Support;

namespace Actors.Wal.Tests.Engine;

/// <summary>
/// Space accounting per stream (issue 14 item 2): each record changes the live bytes of its own segment and ends the
/// runs it supersedes; nothing is proportional to the number of segments or the log's age.
/// </summary>
public sealed class StreamEntryRunTests
{
    private readonly RecordingSpaceAccount _space = new();

    [Fact]
    public void Apply_AppendsAcrossManySegments_OneDeltaPerRecordAndOneRunPerSegment()
    {
        var entry = StreamEntry.CreateNew(42);
        for (uint segment = 1; segment <= 50; segment++)
        {
            entry.Apply(RecordType.Events, LogPosition.Create(segment, 64), 100, segment, default, retainEvents: false, _space);
            entry.Apply(RecordType.Events, LogPosition.Create(segment, 164), 100, segment + 1000, default, retainEvents: false, _space);
        }

        Assert.Equal(100, _space.Deltas.Count);
        Assert.All(_space.Deltas, d => Assert.Equal(100, d.Delta));
        Assert.Equal(49, entry.OlderRuns!.Length);
        Assert.Equal(200u, entry.LatestRunBytes);
        Assert.All(entry.OlderRuns, r => Assert.Equal(200u, r.Bytes));
        Assert.Equal(50 * 200, entry.LiveBytes);
    }

    [Fact]
    public void Apply_CheckpointCoveringTheStreamVersion_EndsEveryRunAndStartsOne()
    {
        var entry = StreamEntry.CreateNew(42);
        for (uint segment = 1; segment <= 5; segment++)
        {
            entry.Apply(RecordType.Events, LogPosition.Create(segment, 64), 100, segment, default, retainEvents: false, _space);
        }

        _space.Deltas.Clear();
        entry.Apply(RecordType.Checkpoint, LogPosition.Create(6, 64), 30, 5, default, retainEvents: false, _space);

        Assert.Equal([(1u, -100L), (2u, -100L), (3u, -100L), (4u, -100L), (5u, -100L), (6u, 30L)], _space.Deltas);
        Assert.Null(entry.OlderRuns);
        Assert.Equal(30u, entry.LatestRunBytes);
        Assert.Equal(5, entry.CheckpointVersion);
    }

    [Fact]
    public void Apply_CheckpointBelowTheStreamVersion_KeepsEveryRun()
    {
        var entry = StreamEntry.CreateNew(42);
        entry.Apply(RecordType.Events, LogPosition.Create(1, 64), 100, 5, default, retainEvents: false, _space);
        entry.Apply(RecordType.Checkpoint, LogPosition.Create(2, 64), 30, 3, default, retainEvents: false, _space);

        Assert.DoesNotContain(_space.Deltas, d => d.Delta < 0);
        Assert.Equal([new SegmentRun(1, 100)], entry.OlderRuns!);
    }

    [Fact]
    public void Apply_RetainedHistory_CheckpointEndsNothingButTombstoneEndsEverything()
    {
        var entry = StreamEntry.CreateNew(42);
        entry.Apply(RecordType.Events, LogPosition.Create(1, 64), 100, 5, default, retainEvents: true, _space);
        entry.Apply(RecordType.Checkpoint, LogPosition.Create(2, 64), 30, 5, default, retainEvents: true, _space);
        Assert.DoesNotContain(_space.Deltas, d => d.Delta < 0);

        entry.Apply(RecordType.Tombstone, LogPosition.Create(3, 64), 20, 5, default, retainEvents: true, _space);

        Assert.Equal([(1u, 100L), (2u, 30L), (1u, -100L), (2u, -30L), (3u, 20L)], _space.Deltas);
        Assert.True(entry.IsDeleted);
    }

    [Fact]
    public void Apply_RelocatedCopy_EndsEveryRunAndTakesTheCopiedBase()
    {
        var entry = StreamEntry.CreateNew(42);
        entry.Apply(RecordType.Events, LogPosition.Create(1, 64), 100, 4, default, retainEvents: false, _space);
        entry.Apply(RecordType.Checkpoint, LogPosition.Create(1, 164), 30, 4, default, retainEvents: false, _space);
        entry.Apply(RecordType.Events, LogPosition.Create(2, 64), 100, 6, default, retainEvents: false, _space);
        _space.Deltas.Clear();

        entry.Apply(RecordType.Relocated, LogPosition.Create(9, 64), 180, 6, (RecordType.Checkpoint, 4), retainEvents: false, _space);

        Assert.Equal([(1u, -30L), (2u, -100L), (9u, 180L)], _space.Deltas);
        Assert.Equal((4L, 6L, false), (entry.CheckpointVersion, entry.Version, entry.IsDeleted));
        Assert.Null(entry.OlderRuns);
    }

    [Fact]
    public void Apply_RetainedHistoryButTheStreamsPolicyReclaims_CoveringCheckpointEndsEveryRun()
    {
        var options = new WriteAheadLogOptions { RetainCheckpointedEvents = true, StreamRetention = _ => HistoryRetention.ReclaimAfterCheckpoint };
        var entry = StreamEntry.CreateNew(42);
        entry.DecideRetention(options, "s/x");
        entry.Apply(RecordType.Events, LogPosition.Create(1, 64), 100, 5, default, retainEvents: true, _space);
        entry.Apply(RecordType.Checkpoint, LogPosition.Create(2, 64), 30, 4, default, retainEvents: true, _space);
        Assert.DoesNotContain(_space.Deltas, d => d.Delta < 0); // below the stream's version: supersedes nothing

        entry.Apply(RecordType.Checkpoint, LogPosition.Create(3, 64), 30, 5, default, retainEvents: true, _space);

        Assert.Equal([(1u, 100L), (2u, 30L), (1u, -100L), (2u, -30L), (3u, 30L)], _space.Deltas);
        Assert.Null(entry.OlderRuns);
        Assert.Equal((30u, 5L), (entry.LatestRunBytes, entry.CheckpointVersion));
    }

    [Theory]
    [InlineData("keep-all")]
    [InlineData("keep-last")]
    [InlineData("keep-for")]
    [InlineData("log-default")]
    public void Apply_RetainedHistoryAndAStreamPolicyThatRetains_CheckpointEndsNothing(string policy)
    {
        var options = new WriteAheadLogOptions
        {
            RetainCheckpointedEvents = true,
            StreamRetention = _ => policy switch
            {
                "keep-all" => HistoryRetention.KeepAll,
                "keep-last" => HistoryRetention.KeepLastVersions(2),
                "keep-for" => HistoryRetention.KeepFor(TimeSpan.FromMinutes(5)),
                _ => null,
            },
        };
        var entry = StreamEntry.CreateNew(42);
        entry.DecideRetention(options, "j/a");
        entry.Apply(RecordType.Events, LogPosition.Create(1, 64), 100, 5, default, retainEvents: true, _space);
        entry.Apply(RecordType.Checkpoint, LogPosition.Create(2, 64), 30, 5, default, retainEvents: true, _space);

        Assert.DoesNotContain(_space.Deltas, d => d.Delta < 0);
        Assert.Equal([new SegmentRun(1, 100)], entry.OlderRuns!);
        Assert.False(entry.ReclaimsCheckpointedEvents);
    }

    [Fact]
    public void DecideRetention_AskedAgainForADecidedEntry_CallsThePolicyOnce()
    {
        int calls = 0;
        var options = new WriteAheadLogOptions
        {
            RetainCheckpointedEvents = true,
            StreamRetention = _ =>
            {
                calls++;
                return HistoryRetention.ReclaimAfterCheckpoint;
            },
        };
        var entry = StreamEntry.CreateNew(42);

        entry.DecideRetention(options, "s/x");
        StreamEntry promotedAgain = entry; // a demoted entry keeps its decision
        promotedAgain.DecideRetention(options, "s/x");

        Assert.Equal(1, calls);
        Assert.True(promotedAgain.ReclaimsCheckpointedEvents);
    }

    [Fact]
    public void DecideRetention_PolicyThrows_RetainsAndAsksAgainNextTime()
    {
        bool fail = true;
        var options = new WriteAheadLogOptions
        {
            RetainCheckpointedEvents = true,
            StreamRetention = _ => fail ? throw new InvalidOperationException("policy store unavailable") : HistoryRetention.ReclaimAfterCheckpoint,
        };
        var entry = StreamEntry.CreateNew(42);

        entry.DecideRetention(options, "s/x");
        entry.Apply(RecordType.Events, LogPosition.Create(1, 64), 100, 5, default, retainEvents: true, _space);
        entry.Apply(RecordType.Checkpoint, LogPosition.Create(2, 64), 30, 5, default, retainEvents: true, _space);
        Assert.DoesNotContain(_space.Deltas, d => d.Delta < 0); // conservative: every record stays live
        Assert.False(entry.ReclaimsCheckpointedEvents);

        fail = false;
        entry.DecideRetention(options, "s/x");

        Assert.True(entry.ReclaimsCheckpointedEvents);
    }

    [Fact]
    public void DecideRetention_LogThatReclaims_NeverCallsThePolicy()
    {
        var options = new WriteAheadLogOptions { StreamRetention = _ => throw new InvalidOperationException("must not be asked") };
        var entry = StreamEntry.CreateNew(42);

        entry.DecideRetention(options, "s/x");
        entry.Apply(RecordType.Events, LogPosition.Create(1, 64), 100, 5, default, retainEvents: false, _space);
        entry.Apply(RecordType.Checkpoint, LogPosition.Create(2, 64), 30, 5, default, retainEvents: false, _space);

        Assert.Contains((1u, -100L), _space.Deltas);
    }
}
