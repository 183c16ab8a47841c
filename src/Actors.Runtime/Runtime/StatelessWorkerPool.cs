namespace Actors.Runtime;

/// <summary>
/// The activations of one stateless-worker grain id in this silo (<c>[StatelessWorker(max)]</c>): a call goes to an idle
/// worker, else to a new one while fewer than the limit exist, else to the least busy one.
/// </summary>
/// <remarks>Thread-safe (one lock per pool). The busy figure is a hint read without the activations' gates.</remarks>
internal sealed class StatelessWorkerPool(GrainId grainId, int maxWorkers)
{
    private readonly List<ActivationData> _workers = [];

    public int Count
    {
        get
        {
            lock (_workers)
            {
                return _workers.Count;
            }
        }
    }

    /// <summary>
    /// The worker to queue the next call at (created, not yet activated, when the pool grows), reserved for that call: the
    /// caller offers the call to it and then releases the reservation (<see cref="ActivationData.ReleaseReservation"/>).
    /// </summary>
    public ActivationData Select(GrainClassInfo classInfo, GrainRuntime runtime)
    {
        lock (_workers)
        {
            ActivationData? best = null;
            int bestLoad = int.MaxValue;
            foreach (ActivationData worker in _workers)
            {
                int load = worker.LoadHint;
                if (load < bestLoad)
                {
                    (best, bestLoad) = (worker, load);
                }
            }

            if (best is not null && (bestLoad == 0 || _workers.Count >= maxWorkers))
            {
                best.Reserve();
                return best;
            }

            var created = new ActivationData(grainId, classInfo, runtime);
            _workers.Add(created);
            created.Reserve();
            return created;
        }
    }

    public void Remove(ActivationData worker)
    {
        lock (_workers)
        {
            _workers.Remove(worker);
        }
    }

    public ActivationData[] Snapshot()
    {
        lock (_workers)
        {
            return [.. _workers];
        }
    }
}
