namespace Actors.Replication.Wal.EventLog;

/// <summary>Which <see cref="Actors.Wal.IEventLog"/> write a replicated entry carries.</summary>
public enum ReplicatedOperationKind : byte
{
    /// <summary><see cref="Actors.Wal.IEventLog.AppendAsync"/>: version is the expected version, items the events.</summary>
    Append = 1,

    /// <summary><see cref="Actors.Wal.IEventLog.WriteCheckpointAsync"/>: version is the covered version, one item the state.</summary>
    Checkpoint = 2,

    /// <summary><see cref="Actors.Wal.IEventLog.DeleteStreamAsync"/>: version is the expected version, no items.</summary>
    DeleteStream = 3,

    /// <summary><see cref="Actors.Wal.IEventLog.DeleteEventsToAsync"/>: version is the last version erased, no items.</summary>
    EraseEvents = 4,

    /// <summary>
    /// <see cref="Actors.Wal.IEventLog.DeleteCheckpointsAsync"/> by version: version is the lowest version selected, one
    /// item the highest (8 bytes, little-endian).
    /// </summary>
    DeleteCheckpoints = 5,
}
