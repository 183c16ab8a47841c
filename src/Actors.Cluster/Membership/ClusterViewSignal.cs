namespace Actors.Cluster.Membership;

/// <summary>A broadcast "something changed" signal: waiters get a task that completes at the next <see cref="Pulse"/>.</summary>
internal sealed class ClusterViewSignal
{
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>A task completed by the next pulse.</summary>
    public Task Next => Volatile.Read(ref _next).Task;

    /// <summary>Wakes every waiter.</summary>
    public void Pulse()
    {
        TaskCompletionSource previous = Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        previous.TrySetResult();
    }
}
