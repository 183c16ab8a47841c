using Actors.Wal.Format;
using Actors.Wal.Index;

namespace Actors.Wal.Tests.Engine;

/// <summary>
/// <see cref="StreamEntry.ChainRecords"/>: how many records a read of the stream's latest state walks, counted by the
/// same rule the writer, the committer and recovery apply (chain consolidation reads it).
/// </summary>
public sealed class StreamEntryChainTests
{
    private long _offset = 64;

    [Fact]
    public void Apply_EventsAfterACoveringCheckpoint_CountsTheCheckpointAndEachRecord()
    {
        var entry = StreamEntry.CreateNew(7);
        Apply(ref entry, RecordType.Events, 3);
        Assert.Equal(1, entry.ChainRecords);
        Apply(ref entry, RecordType.Events, 4);
        Apply(ref entry, RecordType.Checkpoint, 4);
        Assert.Equal(1, entry.ChainRecords);
        for (int v = 5; v < 15; v++)
        {
            Apply(ref entry, RecordType.Events, v);
        }

        Assert.Equal(11, entry.ChainRecords);
        Assert.True(entry.HasBase);
    }

    [Fact]
    public void Apply_CheckpointBelowTheStreamVersion_DoesNotEndTheWalk()
    {
        var entry = TwoEvents();
        Apply(ref entry, RecordType.Checkpoint, 1); // the read still needs event 2, written before it
        Assert.Equal(3, entry.ChainRecords);
    }

    [Fact]
    public void Apply_CheckpointInALogThatRetainsHistory_EndsTheWalkAndKeepsTheRuns()
    {
        var entry = TwoEvents();
        entry.Apply(RecordType.Checkpoint, Next(), 10, 2, default, retainEvents: true, space: null);
        Assert.Equal(1, entry.ChainRecords);
        Assert.Equal(30u, entry.LatestRunBytes); // nothing superseded: every record stays live
    }

    [Fact]
    public void Apply_TombstoneAndRelocatedCopy_EachStartAWalkOfOne()
    {
        var entry = TwoEvents();
        Apply(ref entry, RecordType.Tombstone, 2);
        Assert.Equal(1, entry.ChainRecords);
        Apply(ref entry, RecordType.Events, 3);
        Assert.Equal(2, entry.ChainRecords);
        entry.Apply(RecordType.Relocated, Next(), 10, 3, (RecordType.Tombstone, 2), retainEvents: false, space: null);
        Assert.Equal(1, entry.ChainRecords);
        Assert.True(entry.HasBase);
    }

    [Fact]
    public void Apply_MoreRecordsThanTheCountHolds_SaturatesAndKeepsTheOtherFlags()
    {
        var entry = StreamEntry.CreateNew(7);
        Apply(ref entry, RecordType.Checkpoint, 0);
        entry.Flags |= 0x100; // a bit the index uses
        for (int v = 1; v <= StreamEntry.MaxChainRecords + 10; v++)
        {
            Apply(ref entry, RecordType.Events, v);
        }

        Assert.Equal(StreamEntry.MaxChainRecords, entry.ChainRecords);
        Assert.True(entry.HasBase);
        Assert.Equal(0x100u, entry.Flags & 0x100);
        Assert.False(entry.IsDeleted);
    }

    /// <summary>A new stream's entry after two events, one record each.</summary>
    private StreamEntry TwoEvents()
    {
        var entry = StreamEntry.CreateNew(7);
        Apply(ref entry, RecordType.Events, 1);
        Apply(ref entry, RecordType.Events, 2);
        return entry;
    }

    private void Apply(ref StreamEntry entry, RecordType type, long version)
        => entry.Apply(type, Next(), 10, version, default, retainEvents: false, space: null);

    private long Next()
    {
        _offset += 10;
        return LogPosition.Create(1, _offset);
    }
}
