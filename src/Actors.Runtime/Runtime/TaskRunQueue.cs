namespace Actors.Runtime;

/// <summary>
/// The FIFO of tasks waiting to run on one activation: one task inline, a small ring buffer only while more than one
/// waits. An idle activation holds no buffer, and a busy period allocates at most one short-lived array.
/// </summary>
/// <remarks>A mutable struct held in a field of its owner and used only under the owner's gate; not thread-safe.</remarks>
internal struct TaskRunQueue
{
    private const int InitialRingCapacity = 4;

    private Task? _single;
    private Task?[]? _ring;
    private int _head;
    private int _count;

    /// <summary>How many tasks wait.</summary>
    public readonly int Count => _count;

    public void Enqueue(Task task)
    {
        if (_count == 0 && _ring is null)
        {
            _single = task;
            _count = 1;
            return;
        }

        if (_ring is null)
        {
            _ring = new Task?[InitialRingCapacity];
            _ring[0] = _single;
            _single = null;
            _head = 0;
        }
        else if (_count == _ring.Length)
        {
            var grown = new Task?[_ring.Length * 2];
            for (int i = 0; i < _count; i++)
            {
                grown[i] = _ring[(_head + i) & (_ring.Length - 1)];
            }

            _ring = grown;
            _head = 0;
        }

        _ring[(_head + _count) & (_ring.Length - 1)] = task;
        _count++;
    }

    public bool TryDequeue(out Task task)
    {
        if (_count == 0)
        {
            task = null!;
            return false;
        }

        _count--;
        if (_ring is null)
        {
            task = _single!;
            _single = null;
            return true;
        }

        task = _ring[_head]!;
        _ring[_head] = null;
        _head = (_head + 1) & (_ring.Length - 1);
        if (_count == 0)
        {
            // Drop the buffer with the busy period: an idle activation keeps no queue memory.
            _ring = null;
            _head = 0;
        }

        return true;
    }

    public readonly Task[] ToArray()
    {
        var tasks = new Task[_count];
        for (int i = 0; i < _count; i++)
        {
            tasks[i] = _ring is null ? _single! : _ring[(_head + i) & (_ring.Length - 1)]!;
        }

        return tasks;
    }
}
