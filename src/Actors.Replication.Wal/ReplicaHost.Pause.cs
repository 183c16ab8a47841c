namespace Actors.Replication.Wal;

public sealed partial class ReplicaHost
{
    /// <summary>
    /// Stops running the replica (as SIGSTOP would): work queues up, the clock keeps going. The action running now
    /// completes; the loop stops before the next one. For fault tests.
    /// </summary>
    internal void Pause() => _pause.Pause();

    /// <summary>
    /// Pauses the replica and completes once its driver loop has stopped: everything posted after that waits for
    /// <see cref="Resume"/> and then runs in one burst. For tests that count what one burst does.
    /// </summary>
    internal Task PauseAsync()
    {
        var parked = _pause.PauseAndParkAsync();

        // Wakes an idle loop, so it sees the pause (it stays queued, runs after Resume).
        Post(static () => { });
        return parked;
    }

    /// <summary>Resumes a paused replica: what queued up runs in arrival order.</summary>
    internal void Resume() => _pause.Resume();

    /// <summary>
    /// Makes the driver loop fail on <paramref name="cause"/> as a failed write, fsync or broken invariant would (the host
    /// stops, <see cref="Failure"/> is set, waiting appends fail). For fault tests.
    /// </summary>
    internal void InjectFailure(Exception cause) => Post(() => throw cause);
}
