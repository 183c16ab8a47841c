using System.Collections.Concurrent;
using Orleans.Runtime;

namespace Actors.Orleans.Clustering.Partitioning;

/// <summary>
/// The activations on this silo that made storage calls, by partition, so that when this silo stops leading a partition
/// its activations of that partition are deactivated (the next call activates the grain on the new leader, from its
/// replica). An activation leaves the set when it deactivates.
/// </summary>
/// <remarks>Thread-safe.</remarks>
internal sealed class PartitionActivations
{
    private readonly ConcurrentDictionary<int, ConcurrentDictionary<GrainId, IGrainContext>> _byPartition = new();

    /// <summary>Records that <paramref name="context"/> uses <paramref name="partition"/>.</summary>
    public void Track(int partition, IGrainContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        ConcurrentDictionary<GrainId, IGrainContext> contexts = _byPartition.GetOrAdd(partition, static _ => new());
        if (contexts.TryAdd(context.GrainId, context))
        {
            _ = context.Deactivated.ContinueWith(
                _ => contexts.TryRemove(new KeyValuePair<GrainId, IGrainContext>(context.GrainId, context)),
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
        }
    }

    /// <summary>Deactivates every tracked activation of <paramref name="partition"/>; returns how many.</summary>
    public int DeactivateAll(int partition, string reason)
    {
        if (!_byPartition.TryGetValue(partition, out ConcurrentDictionary<GrainId, IGrainContext>? contexts))
        {
            return 0;
        }

        int count = 0;
        foreach (IGrainContext context in contexts.Values)
        {
            context.Deactivate(new DeactivationReason(DeactivationReasonCode.ApplicationRequested, reason));
            count++;
        }

        return count;
    }

    /// <summary>
    /// Deactivates every tracked activation of <paramref name="partition"/> and completes when all of them have deactivated
    /// (each finishes the call it runs; Orleans forwards the calls queued for it) or at <paramref name="timeout"/>.
    /// </summary>
    /// <returns>How many were deactivated, and whether all of them finished within the timeout.</returns>
    public async Task<(int Count, bool Finished)> DeactivateAllAsync(int partition, string reason, TimeSpan timeout)
    {
        if (!_byPartition.TryGetValue(partition, out ConcurrentDictionary<GrainId, IGrainContext>? contexts))
        {
            return (0, true);
        }

        IGrainContext[] deactivating = [.. contexts.Values];
        foreach (IGrainContext context in deactivating)
        {
            context.Deactivate(new DeactivationReason(DeactivationReasonCode.ApplicationRequested, reason));
        }

        Task all = Task.WhenAll(deactivating.Select(c => c.Deactivated));
        bool finished = await Task.WhenAny(all, Task.Delay(timeout)).ConfigureAwait(false) == all;
        return (deactivating.Length, finished);
    }

    /// <summary>The tracked activation of <paramref name="grainId"/> in <paramref name="partition"/>, or null.</summary>
    public IGrainContext? Find(int partition, GrainId grainId) =>
        _byPartition.TryGetValue(partition, out var contexts) && contexts.TryGetValue(grainId, out var tracked) ? tracked : null;

    /// <summary>Whether <paramref name="context"/> is tracked as using <paramref name="partition"/>.</summary>
    public bool Tracks(int partition, IGrainContext context) =>
        _byPartition.TryGetValue(partition, out var contexts) && contexts.TryGetValue(context.GrainId, out var tracked) && ReferenceEquals(tracked, context);

    /// <summary>How many activations of <paramref name="partition"/> are tracked.</summary>
    public int Count(int partition) => _byPartition.TryGetValue(partition, out var contexts) ? contexts.Count : 0;
}
