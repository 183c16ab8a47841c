namespace Actors.Wal.Inspection;

/// <summary>One valid stream record of a log, as <see cref="LogInspector.ReadRecords"/> finds it on disk.</summary>
/// <param name="SegmentId">The segment holding the record.</param>
/// <param name="Offset">Its byte offset in the segment file.</param>
/// <param name="Length">Its length in bytes, header included.</param>
/// <param name="Type">The record type.</param>
/// <param name="StreamId">The stream it belongs to.</param>
/// <param name="FirstLsn">The LSN of its first item (0 for a relocated record: its items keep their own LSNs).</param>
/// <param name="LastLsn">The LSN of its last item (0 for a relocated record).</param>
/// <param name="FirstVersion">Events: the version of the first event; Checkpoint: the version covered; Tombstone: the version deleted; Relocated: the stream's version when copied.</param>
/// <param name="LastVersion">Events: the version of the last event; otherwise <paramref name="FirstVersion"/>.</param>
/// <param name="Timestamp">When the record was appended (UTC; for a relocated record, when it was copied).</param>
/// <param name="IsEncrypted">True when the payloads are encrypted (the segment names its key): <see cref="InspectedItem.Payload"/> holds ciphertext.</param>
/// <param name="Items">The record's events, checkpoint or tombstone, in order.</param>
public sealed record InspectedRecord(
    uint SegmentId,
    long Offset,
    int Length,
    InspectedRecordType Type,
    string StreamId,
    long FirstLsn,
    long LastLsn,
    long FirstVersion,
    long LastVersion,
    DateTimeOffset Timestamp,
    bool IsEncrypted,
    IReadOnlyList<InspectedItem> Items);
