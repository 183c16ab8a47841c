namespace Actors.Wal.Format;

/// <summary>One decoded element of a record: an event, a checkpoint or a tombstone.</summary>
/// <param name="Kind">Events, Checkpoint or Tombstone.</param>
/// <param name="Version">The event's version, the checkpoint's covered version, or the tombstone's stream version.</param>
/// <param name="Lsn">The item's log sequence number.</param>
/// <param name="TimestampTicks">Append time (UTC ticks).</param>
/// <param name="Payload">The event bytes or checkpoint state (a slice of the record buffer); empty for a tombstone.</param>
internal readonly record struct RecordItem(RecordType Kind, long Version, long Lsn, long TimestampTicks, ReadOnlyMemory<byte> Payload);
