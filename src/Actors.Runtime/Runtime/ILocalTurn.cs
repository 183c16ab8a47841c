namespace Actors.Runtime;

/// <summary>
/// Work the runtime itself schedules on an activation (a timer tick): it runs on the activation's scheduler like a
/// request, but no caller waits for it, it is never forwarded to another activation, and it has no response deadline.
/// </summary>
internal interface ILocalTurn
{
    /// <summary>Whether the turn may start while other requests of a non-reentrant activation are running (awaiting).</summary>
    bool Interleave { get; }

    /// <summary>Whether the turn counts as activity for idle collection.</summary>
    bool KeepAlive { get; }

    /// <summary>Runs the turn on the activation's scheduler; never throws (failures are logged by the turn).</summary>
    Task RunAsync();
}
