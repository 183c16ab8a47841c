namespace Actors.Wal.Inspection;

/// <summary>Whether a log directory is in use, empty, closed cleanly or left by a crash (<see cref="LogVerification.State"/>).</summary>
public enum LogDirectoryState
{
    /// <summary>A running process holds the directory's <c>LOCK</c>: what was read is the prefix written so far.</summary>
    Live,

    /// <summary>Nothing has been written to the log yet (no record and no recovery snapshot).</summary>
    Empty,

    /// <summary>The last process closed the log: opening it scans nothing.</summary>
    ClosedCleanly,

    /// <summary>The last process stopped without closing the log (crash, kill, power loss): opening it scans after the recovery point.</summary>
    NotClosedCleanly,
}
