namespace Actors.Wal;

/// <summary>A checkpoint as stored in a stream.</summary>
/// <param name="Version">The stream version the snapshot covers (events 1..Version).</param>
/// <param name="Lsn">The checkpoint record's log sequence number.</param>
/// <param name="Timestamp">When the checkpoint was written (the log's clock).</param>
/// <param name="State">The snapshot bytes, owned by the caller.</param>
public sealed record StoredCheckpoint(long Version, long Lsn, DateTimeOffset Timestamp, ReadOnlyMemory<byte> State);
