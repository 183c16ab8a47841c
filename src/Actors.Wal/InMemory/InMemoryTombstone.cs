namespace Actors.Wal;

/// <summary>A deletion marker of an in-memory stream.</summary>
/// <param name="Version">The stream's version when it was deleted.</param>
/// <param name="Lsn">The tombstone's log sequence number.</param>
/// <param name="Timestamp">When the stream was deleted (the log's clock).</param>
internal readonly record struct InMemoryTombstone(long Version, long Lsn, DateTimeOffset Timestamp);
