namespace Actors.Orleans.Log;

/// <summary>Where the silo's log is in its life.</summary>
public enum SiloLogState
{
    /// <summary>Not opened yet (the silo has not reached its storage stage).</summary>
    NotOpened = 0,

    /// <summary>Recovery is running.</summary>
    Opening = 1,

    /// <summary>Open: serving reads and writes.</summary>
    Open = 2,

    /// <summary>Opening failed; the silo does not start.</summary>
    OpenFailed = 3,

    /// <summary>
    /// The log hit an I/O error while writing or syncing records (a failed write or fsync, a full disk among them): the
    /// outcome of the writes in flight is unknown, so it refuses every write until the silo restarts (fail-stop: a failed
    /// fsync is never retried); it still serves reads. <see cref="SiloLogStatus.Description"/> names the cause.
    /// </summary>
    Failed = 4,

    /// <summary>Closed (the silo stopped).</summary>
    Closed = 5,

    /// <summary>
    /// Open, but the device holding the log is full: writes that need a new segment are refused (nothing of them stored),
    /// reads and writes that fit the active segment are served, and writes resume by themselves once the device has room
    /// for a segment. <see cref="SiloLogStatus.Description"/> names the path and the setting that helps.
    /// </summary>
    DiskFull = 6,
}
