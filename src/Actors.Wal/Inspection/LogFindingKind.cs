namespace Actors.Wal.Inspection;

/// <summary>What kind of problem <see cref="LogInspector.Verify"/> found.</summary>
public enum LogFindingKind
{
    /// <summary>Damage that cannot be a torn tail: acknowledged data is affected. Opening the log refuses it (except in Salvage mode).</summary>
    Corruption,

    /// <summary>An append (or a segment creation) that never completed at the end of the log: opening the log cuts it (TolerateTornTail).</summary>
    TornTail,

    /// <summary>A segment file, or records the log still needs, are missing.</summary>
    Missing,

    /// <summary>The recovery snapshot (<c>index.snapshot</c>) is damaged or points at missing records: opening the log ignores or trips over it.</summary>
    Snapshot,

    /// <summary>A file written by a newer, incompatible format version: this build cannot check it.</summary>
    UnsupportedVersion,
}
