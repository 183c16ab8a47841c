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

    /// <summary>The log hit an I/O error: it refuses writes until the silo restarts.</summary>
    Failed = 4,

    /// <summary>Closed (the silo stopped).</summary>
    Closed = 5,
}
