namespace Actors.Concurrency;

/// <summary>
/// On a grain class (Orleans' <c>[StatelessWorker]</c>): the silo may run several activations of the same grain id at
/// once, each serving one request at a time (unless the class is reentrant); a request goes to an idle activation, or
/// to a new one while fewer than <see cref="MaxLocalWorkers"/> exist, else it waits at the least busy one. Workers are
/// always local to the silo that receives the call and keep no state worth keeping (they are collected when idle).
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class StatelessWorkerAttribute : Attribute
{
    /// <summary>Allows one worker per processor (<see cref="Environment.ProcessorCount"/>), Orleans' default.</summary>
    public StatelessWorkerAttribute()
        : this(-1)
    {
    }

    /// <summary>Allows at most <paramref name="maxLocalWorkers"/> workers per grain id (-1: one per processor).</summary>
    public StatelessWorkerAttribute(int maxLocalWorkers)
    {
        MaxLocalWorkers = maxLocalWorkers > 0 ? maxLocalWorkers : Environment.ProcessorCount;
    }

    /// <summary>The most activations of one grain id in one silo.</summary>
    public int MaxLocalWorkers { get; }
}
