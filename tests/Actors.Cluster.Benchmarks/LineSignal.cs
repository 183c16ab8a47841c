namespace Actors.Cluster.Benchmarks;

/// <summary>An awaitable pulse: <see cref="Next"/> completes at the first <see cref="Pulse"/> after it was taken. Thread-safe.</summary>
internal sealed class LineSignal
{
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes at the next pulse (take it before reading the state it signals changes of).</summary>
    public Task Next => Volatile.Read(ref _next).Task;

    /// <summary>Completes the current <see cref="Next"/> and starts a new one.</summary>
    public void Pulse() => Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
}
