namespace Actors.Wal.Inspection;

/// <summary>One element of an <see cref="InspectedRecord"/>: an event, a checkpoint or a tombstone.</summary>
/// <param name="Kind">Events (one event), Checkpoint or Tombstone; never Relocated.</param>
/// <param name="Version">The event's version, the version the checkpoint covers, or the stream version the tombstone deleted.</param>
/// <param name="Lsn">The item's log sequence number.</param>
/// <param name="Timestamp">When the item was appended (UTC).</param>
/// <param name="Payload">
/// The event bytes or the checkpoint state as stored (still encrypted when <see cref="InspectedRecord.IsEncrypted"/>); empty
/// for a tombstone. The memory belongs to the item: it stays valid after the enumeration moves on.
/// </param>
public sealed record InspectedItem(InspectedRecordType Kind, long Version, long Lsn, DateTimeOffset Timestamp, ReadOnlyMemory<byte> Payload);
