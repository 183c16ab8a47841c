namespace Actors.Wal;

/// <summary>The result of <see cref="IEventLog.ReadStreamAsync"/>: a checkpoint plus the events after it.</summary>
/// <param name="StreamId">The stream read.</param>
/// <param name="Checkpoint">The latest checkpoint at or below the read bound, or null.</param>
/// <param name="Events">The events after the checkpoint up to the bound, in version order.</param>
/// <param name="Version">The stream's version at the read bound (0 for an unknown stream).</param>
/// <param name="IsDeleted">True when the stream was deleted at the read bound (then there is no checkpoint and no event).</param>
public sealed record StreamReadResult(
    string StreamId,
    StoredCheckpoint? Checkpoint,
    IReadOnlyList<StoredEvent> Events,
    long Version,
    bool IsDeleted);
