using System.Collections.Concurrent;

namespace Actors.Runtime;

/// <summary>The silo's activations by grain id: at most one live activation per id.</summary>
/// <remarks>
/// Nothing here walks the activations on a timer or per call: idle collection has its own buckets
/// (<see cref="ActivationCollector"/>), deadlines their own tracker (<see cref="OutstandingCalls"/>), and gauges read
/// counters. Only a silo stop or kill, and an explicit relocation or snapshot (<see cref="Hosting.ISiloActivations"/>),
/// visit every activation. Single activations live in an <see cref="ActivationTable"/> (open addressing, hash and
/// activation inline in the slot: one dependent load fewer per call than a dictionary node); stateless worker pools,
/// few and per grain id, in a dictionary.
/// </remarks>
internal sealed class Catalog(GrainRuntime runtime)
{
    private readonly ActivationTable _activations = new();
    private readonly ConcurrentDictionary<GrainId, StatelessWorkerPool> _workers = new();

    public int Count => _activations.Count + _workers.Values.Sum(p => p.Count);

    /// <summary>The current activation of <paramref name="grainId"/>, created (not yet activated) when there is none.</summary>
    public ActivationData GetOrCreate(GrainId grainId, GrainClassInfo classInfo)
        => classInfo.MaxLocalWorkers is { } max
            ? _workers.GetOrAdd(grainId, static (id, m) => new StatelessWorkerPool(id, m), max).Select(classInfo, runtime)
            : _activations.GetOrAdd(grainId, static (id, state) => new ActivationData(id, state.classInfo, state.runtime), (classInfo, runtime));

    public bool TryGet(GrainId grainId, out ActivationData activation)
    {
        activation = _activations.Find(grainId)!;
        return activation is not null;
    }

    public void Remove(ActivationData activation)
    {
        if (activation.ClassInfo.MaxLocalWorkers is null)
        {
            _activations.Remove(activation);
        }
        else if (_workers.TryGetValue(activation.GrainId, out StatelessWorkerPool? pool))
        {
            pool.Remove(activation);
        }
    }

    /// <summary>Every activation: single activations and stateless workers.</summary>
    private IEnumerable<ActivationData> All => _activations.Snapshot().Concat(_workers.Values.SelectMany(p => p.Snapshot()));

    /// <summary>A snapshot of the activated grain ids matching <paramref name="filter"/> (all when null).</summary>
    public IReadOnlyList<GrainId> GetGrainIds(Func<GrainId, bool>? filter)
        => _activations.Snapshot().Select(a => a.GrainId).Concat(_workers.Keys).Distinct().Where(id => filter is null || filter(id)).ToArray();

    /// <summary>Relocates every activation matching <paramref name="filter"/> (repeating for ones created meanwhile) until none is left.</summary>
    public async Task RelocateAsync(Func<GrainId, bool> filter, DeactivationReason reason, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task[] pending = All.Where(a => filter(a.GrainId)).Select(a => a.RelocateAsync(reason)).ToArray();
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
        while (_activations.Count > 0 || _workers.Values.Any(p => p.Count > 0))
        {
            Task[] pending = All.Select(a => a.ShutdownAsync()).ToArray();
            await Task.WhenAll(pending).WaitAsync(cancellationToken);
        }
    }

    public void KillAll()
    {
        foreach (ActivationData activation in All)
        {
            activation.Kill();
        }

        _activations.Clear();
        _workers.Clear();
    }
}
