namespace Actors.Wal.Tool.Scanning;

/// <summary>What kind of problem validate found.</summary>
internal enum FindingKind
{
    /// <summary>Damage that cannot be a torn tail: acknowledged data is affected. Open refuses (TolerateTornTail).</summary>
    Corruption,

    /// <summary>An append (or a segment creation) that never completed at the end of the last segment. Open truncates it.</summary>
    TornTail,

    /// <summary>A segment file or some records the log still needs are missing.</summary>
    Missing,

    /// <summary>The recovery snapshot is damaged; open ignores it and scans every segment.</summary>
    Snapshot,

    /// <summary>A file written by a newer, incompatible format version.</summary>
    UnsupportedVersion,
}
