namespace Actors.Hosting;

/// <summary>
/// Stops a silo abruptly, as a crash would, for test hosts and crash tests (a graceful stop goes through the host's
/// <c>StopAsync</c>). Registered as a singleton by <see cref="SiloRuntimeServiceCollectionExtensions.AddActorsRuntime"/>.
/// </summary>
public interface ISiloControl
{
    /// <summary>
    /// Kills the silo: no grain code runs, queued callers fail with <see cref="SiloUnavailableException"/>, every
    /// <see cref="ISiloAbruptStopParticipant"/> abandons its unflushed work. Afterwards dispose the host without
    /// stopping it. A second call does nothing.
    /// </summary>
    Task KillAsync();
}
