using System.Collections.Concurrent;

namespace Actors.Runtime;

/// <summary>The silo's activations by grain id: at most one live activation per id.</summary>
/// <remarks>
/// Nothing here walks the activations on a timer or per call: idle collection has its own buckets
/// (<see cref="ActivationCollector"/>), deadlines their own tracker (<see cref="OutstandingCalls"/>), and gauges read
/// counters. Only a silo stop or kill, and an explicit relocation or snapshot (<see cref="Hosting.ISiloActivations"/>),
/// visit every activation.
/// </remarks>
internal sealed class Catalog(GrainRuntime runtime)
{
    private readonly ConcurrentDictionary<GrainId, ActivationData> _activations = new();

    public int Count => _activations.Count;

    /// <summary>The current activation of <paramref name="grainId"/>, created (not yet activated) when there is none.</summary>
    public ActivationData GetOrCreate(GrainId grainId, GrainClassInfo classInfo)
        => _activations.TryGetValue(grainId, out ActivationData? existing)
            ? existing
            : _activations.GetOrAdd(grainId, static (id, state) => new ActivationData(id, state.classInfo, state.runtime), (classInfo, runtime));

    public bool TryGet(GrainId grainId, out ActivationData activation) => _activations.TryGetValue(grainId, out activation!);

    public void Remove(ActivationData activation) => _activations.TryRemove(new KeyValuePair<GrainId, ActivationData>(activation.GrainId, activation));

    /// <summary>A snapshot of the activated grain ids matching <paramref name="filter"/> (all when null).</summary>
    public IReadOnlyList<GrainId> GetGrainIds(Func<GrainId, bool>? filter)
        => _activations.Keys.Where(id => filter is null || filter(id)).ToArray();

    /// <summary>Relocates every activation matching <paramref name="filter"/> (repeating for ones created meanwhile) until none is left.</summary>
    public async Task RelocateAsync(Func<GrainId, bool> filter, DeactivationReason reason, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task[] pending = _activations.Values.Where(a => filter(a.GrainId)).Select(a => a.RelocateAsync(reason)).ToArray();
            if (pending.Length == 0)
            {
                return;
            }

            await Task.WhenAll(pending).WaitAsync(cancellationToken);
        }
    }

    /// <summary>Deactivates every activation (repeating for activations created meanwhile) until none is left.</summary>
    public async Task DeactivateAllAsync(CancellationToken cancellationToken)
    {
        while (!_activations.IsEmpty)
        {
            Task[] pending = _activations.Values.Select(a => a.ShutdownAsync()).ToArray();
            await Task.WhenAll(pending).WaitAsync(cancellationToken);
        }
    }

    public void KillAll()
    {
        foreach (ActivationData activation in _activations.Values)
        {
            activation.Kill();
        }

        _activations.Clear();
    }
}
