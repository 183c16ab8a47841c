namespace Actors.Wal;

/// <summary>How opening a log treats damaged records (after RocksDB's WAL recovery modes).</summary>
public enum RecoveryMode
{
    /// <summary>
    /// Default. A torn or zero-filled tail of the last segment (an append that never completed) is truncated to
    /// the last valid record and reported. Damage followed by valid records is corruption: opening fails with
    /// <see cref="LogCorruptedException"/> naming the segment and offset, and nothing is truncated.
    /// </summary>
    TolerateTornTail = 0,

    /// <summary>Any damage, including a torn tail, refuses to open; nothing is modified.</summary>
    AbsoluteConsistency = 1,

    /// <summary>
    /// Damaged records are skipped and reported; every record that passes its checksum is kept. For salvaging a
    /// damaged log; streams that lost records may be incomplete.
    /// </summary>
    Salvage = 2,
}
