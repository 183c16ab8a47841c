namespace Actors.Wal;

/// <summary>One change read from the log-wide change feed (<see cref="ILogChangeFeed"/>).</summary>
/// <param name="Kind">An event, a checkpoint or a tombstone.</param>
/// <param name="StreamId">The stream the change belongs to.</param>
/// <param name="Version">The event's version, the checkpoint's covered version, or the stream's version at deletion.</param>
/// <param name="Lsn">The change's log sequence number: unique, and dense across the whole log (each change is the previous one's LSN + 1).</param>
/// <param name="Timestamp">When it was appended (the log's clock).</param>
/// <param name="Payload">The event bytes or checkpoint state; empty for a tombstone. Owned by the caller (never overwritten by later reads).</param>
/// <param name="Position">The position to store to resume after this change (at-least-once: store it once the change is handled).</param>
public sealed record LogChange(
    LogChangeKind Kind,
    string StreamId,
    long Version,
    long Lsn,
    DateTimeOffset Timestamp,
    ReadOnlyMemory<byte> Payload,
    ChangeFeedPosition Position);
