namespace Actors.Wal.Format;

/// <summary>The kind of a record (byte 8 of the record header).</summary>
internal enum RecordType : byte
{
    /// <summary>An append batch: one stream, N events with consecutive versions and LSNs.</summary>
    Events = 1,

    /// <summary>A checkpoint (snapshot) of one stream covering versions 1..FirstVersion.</summary>
    Checkpoint = 2,

    /// <summary>A tombstone: the stream was deleted at version FirstVersion.</summary>
    Tombstone = 3,

    /// <summary>A stream's live records copied forward by compaction (items carry their own metadata).</summary>
    Relocated = 4,

    /// <summary>The last record of a sealed segment (no stream, no payload).</summary>
    Seal = 5,
}
