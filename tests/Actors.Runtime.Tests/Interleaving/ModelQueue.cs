namespace Actors.Runtime.Tests.Interleaving;

/// <summary>
/// A linearizable multi-producer queue as <see cref="System.Collections.Concurrent.ConcurrentQueue{T}"/> behaves on x86:
/// enqueue and dequeue are interlocked operations (each flushes the caller's store buffer and takes effect atomically),
/// <see cref="IsEmpty"/> is a plain load of the queue's state in memory.
/// </summary>
internal sealed class ModelQueue(ExplorationRun run, string name)
{
    private readonly Queue<int> _items = new();

    public void Enqueue(int item)
    {
        run.Fence();
        run.Point($"{name}.Enqueue({item})");
        _items.Enqueue(item);
    }

    public bool TryDequeue(out int item)
    {
        run.Fence();
        run.Point($"{name}.TryDequeue");
        return _items.TryDequeue(out item);
    }

    public bool IsEmpty
    {
        get
        {
            run.Point($"{name}.IsEmpty");
            return _items.Count == 0;
        }
    }
}
