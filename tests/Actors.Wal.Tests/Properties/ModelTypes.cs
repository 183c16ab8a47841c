namespace Actors.Wal.Tests.Properties;

internal enum ModelRecordKind
{
    Event,
    Checkpoint,
    Tombstone,
}

/// <summary>One record of a model stream. For a checkpoint, <see cref="Data"/> is the state; for a tombstone, empty.</summary>
internal sealed record ModelRecord(ModelRecordKind Kind, long Version, long Lsn, DateTimeOffset Timestamp, byte[] Data);

/// <summary>What a read must return: the checkpoint in force, the events after it, the version, the deletion flag.</summary>
internal sealed record ModelState(ModelRecord? Checkpoint, IReadOnlyList<ModelRecord> Events, long Version, bool IsDeleted);

/// <summary>What a write must do: store (with these versions and LSN) or be rejected with this exception type.</summary>
internal sealed record ModelOutcome(Type? Error, long FirstVersion, long LastVersion, long Lsn, long ConflictActualVersion)
{
    public static ModelOutcome Stored(long firstVersion, long lastVersion, long lsn) => new(null, firstVersion, lastVersion, lsn, 0);

    public static ModelOutcome Rejected(Type error) => new(error, 0, 0, 0, 0);

    public static ModelOutcome Conflict(long expectedVersion, long actualVersion) =>
        new(typeof(StreamVersionConflictException), expectedVersion, 0, 0, actualVersion);
}
