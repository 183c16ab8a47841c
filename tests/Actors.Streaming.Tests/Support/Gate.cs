namespace Actors.Streaming.Tests.Support;

/// <summary>Holds slow subscribers until the test opens it (a silo singleton).</summary>
public sealed class Gate
{
    private readonly object _sync = new();
    private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<(int Count, TaskCompletionSource Reached)> _watchers = [];
    private int _waiting;

    public async Task PassAsync()
    {
        lock (_sync)
        {
            _waiting++;
            foreach ((int count, TaskCompletionSource reached) in _watchers)
            {
                if (_waiting >= count)
                {
                    reached.TrySetResult();
                }
            }
        }

        await _open.Task;
    }

    /// <summary>Completes once <paramref name="count"/> subscribers have arrived at the gate.</summary>
    public Task WaitForWaitersAsync(int count)
    {
        lock (_sync)
        {
            if (_waiting >= count)
            {
                return Task.CompletedTask;
            }

            var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _watchers.Add((count, reached));
            return reached.Task.WaitAsync(DeliveryRecorder.WaitLimit);
        }
    }

    public void Open() => _open.TrySetResult();
}
