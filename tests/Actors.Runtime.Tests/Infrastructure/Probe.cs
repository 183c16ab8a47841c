using System.Collections.Concurrent;

namespace Actors.Runtime.Tests.Infrastructure;

/// <summary>Records what test grains did and lets tests await a specific record without sleeping.</summary>
public sealed class Probe
{
    public static readonly TimeSpan WaitTimeout = TimeSpan.FromSeconds(10);

    private readonly ConcurrentQueue<string> _events = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _signals = new();
    private readonly ConcurrentDictionary<string, int> _counters = new();

    public IReadOnlyList<string> Events => [.. _events];

    public void Record(string name)
    {
        _events.Enqueue(name);
        _counters.AddOrUpdate(name, 1, (_, n) => n + 1);
        Signal(name).TrySetResult();
    }

    public int Count(string name) => _counters.TryGetValue(name, out int n) ? n : 0;

    public async Task WaitForAsync(string name)
    {
        try
        {
            await Signal(name).Task.WaitAsync(WaitTimeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"Waited {WaitTimeout} for event '{name}'; recorded so far: [{string.Join(", ", _events)}].");
        }
    }

    /// <summary>A gate a grain awaits until the test opens it.</summary>
    public TaskCompletionSource Gate(string name) => Signal("gate:" + name);

    public static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        DateTime deadline = DateTime.UtcNow + WaitTimeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Waited {WaitTimeout} for: {what}.");
            }

            await Task.Delay(2);
        }
    }

    /// <summary>Polls an asynchronous condition (for example a row a grain's turn writes after its call returned) until it holds.</summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        DateTime deadline = DateTime.UtcNow + WaitTimeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Waited {WaitTimeout} for: {what}.");
            }

            await Task.Delay(2);
        }
    }

    private TaskCompletionSource Signal(string name) => _signals.GetOrAdd(name, static _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
}
