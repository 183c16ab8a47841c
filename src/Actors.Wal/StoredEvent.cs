namespace Actors.Wal;

/// <summary>An event as stored in a stream.</summary>
/// <param name="Version">The event's version within its stream (1-based).</param>
/// <param name="Lsn">The event's global log sequence number.</param>
/// <param name="Timestamp">When the event was appended (the log's clock).</param>
/// <param name="Payload">The event bytes, owned by the caller.</param>
public sealed record StoredEvent(long Version, long Lsn, DateTimeOffset Timestamp, ReadOnlyMemory<byte> Payload);
