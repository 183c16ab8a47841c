using System.Collections.Concurrent;

namespace Actors.Persistence.Wal.Tests.Support;

/// <summary>Lets a test await "grain G confirmed version V" without sleeping: test grains report each confirmed version.</summary>
public sealed class ConfirmationProbe
{
    public static readonly TimeSpan WaitTimeout = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<(GrainId, long), TaskCompletionSource> _confirmed = new();

    public void Confirmed(GrainId grainId, long version) => Signal(grainId, version).TrySetResult();

    public async Task WaitForAsync(GrainId grainId, long version)
    {
        try
        {
            await Signal(grainId, version).Task.WaitAsync(WaitTimeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"Waited {WaitTimeout} for grain {grainId} to confirm version {version}; confirmed so far: [{string.Join(", ", _confirmed.Where(kv => kv.Value.Task.IsCompleted).Select(kv => $"{kv.Key.Item1}@{kv.Key.Item2}"))}].");
        }
    }

    private TaskCompletionSource Signal(GrainId grainId, long version) =>
        _confirmed.GetOrAdd((grainId, version), static _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
}
