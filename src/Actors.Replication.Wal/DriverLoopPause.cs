namespace Actors.Replication.Wal;

/// <summary>
/// The pause of a <see cref="ReplicaHost"/>'s driver loop, for fault tests (as SIGSTOP would stop a process): while
/// paused, the loop runs no queued work (work queues up and runs, in arrival order, after <see cref="Resume"/>).
/// </summary>
/// <remarks>Thread safety: <see cref="Pause"/>, <see cref="PauseAndParkAsync"/>, <see cref="Resume"/> and
/// <see cref="Release"/> from any thread; <see cref="WaitWhilePausedAsync"/> from the driver loop only.</remarks>
internal sealed class DriverLoopPause
{
    private volatile TaskCompletionSource? _paused;
    private volatile TaskCompletionSource? _parked;

    /// <summary>Whether the loop is to stop before its next action.</summary>
    public bool IsPaused => _paused is not null;

    /// <summary>Pauses the loop: the action running now completes; the loop stops before the next one.</summary>
    public void Pause() => _paused ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>
    /// Pauses the loop; the task completes once the loop has stopped (<see cref="WaitWhilePausedAsync"/>). The caller
    /// wakes an idle loop so that it sees the pause.
    /// </summary>
    public Task PauseAndParkAsync()
    {
        var parked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _parked = parked;
        Pause();
        return parked.Task;
    }

    /// <summary>Resumes a paused loop.</summary>
    public void Resume()
    {
        var paused = _paused;
        _paused = null;
        _parked = null;
        paused?.TrySetResult();
    }

    /// <summary>Driver loop: completes at once when not paused; else reports the loop parked and completes on <see cref="Resume"/> or <see cref="Release"/>.</summary>
    public Task WaitWhilePausedAsync()
    {
        if (_paused is not { } paused)
        {
            return Task.CompletedTask;
        }

        _parked?.TrySetResult();
        return paused.Task;
    }

    /// <summary>The host stops: a parked loop goes on (and sees that it stops); the pause itself stays.</summary>
    public void Release() => _paused?.TrySetResult();
}
