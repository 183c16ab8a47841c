namespace Actors.Wal.Inspection;

/// <summary>The kind of a stream record or of one of its items (<see cref="InspectedRecord"/>, <see cref="InspectedItem"/>).</summary>
public enum InspectedRecordType
{
    /// <summary>An append batch: events with consecutive versions and LSNs.</summary>
    Events = 1,

    /// <summary>A checkpoint of the stream covering versions 1..version.</summary>
    Checkpoint = 2,

    /// <summary>A tombstone: the stream was deleted at the version.</summary>
    Tombstone = 3,

    /// <summary>A stream's live records copied forward by compaction (its items keep their own versions, LSNs and timestamps).</summary>
    Relocated = 4,
}
