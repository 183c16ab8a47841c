namespace Actors.Wal.Inspection;

/// <summary>
/// What <see cref="LogInspector.Verify"/> learned about one stream from its valid records, with the engine's own index
/// rules (the state opening the log would rebuild).
/// </summary>
/// <param name="Id">The stream id.</param>
/// <param name="Version">The stream's version (its latest event, checkpoint or deletion).</param>
/// <param name="CheckpointVersion">The version of its latest checkpoint, or 0 when it has none.</param>
/// <param name="IsDeleted">True when its latest record is a tombstone.</param>
/// <param name="Records">Its valid records in the log (event batches, checkpoints, tombstones, relocated copies), live or not.</param>
/// <param name="Bytes">The bytes of those records.</param>
/// <param name="Segments">The segments holding its records, ascending.</param>
/// <param name="LastWrite">When its latest record was appended (the record header's timestamp).</param>
public sealed record InspectedStream(
    string Id,
    long Version,
    long CheckpointVersion,
    bool IsDeleted,
    long Records,
    long Bytes,
    IReadOnlyList<uint> Segments,
    DateTimeOffset LastWrite);
