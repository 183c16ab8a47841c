namespace Actors.Wal.Entries.Journal;

/// <summary>
/// The waits for durability on an <see cref="EntryJournal"/>, lowest position first, and the journal-wide position up to
/// which its records are durable: a wait completes once an fsync (of the active segment, or of a segment being sealed)
/// covered its position, and faults when the journal fails or closes first.
/// </summary>
/// <remarks>Not thread-safe: the journal calls it under its lock. Waits complete their task continuations asynchronously,
/// never under that lock; a wait's callback (<see cref="Add(long, Action{object?}, object?)"/>) is called under it, on the
/// thread that completes or faults the wait, once the task has completed.</remarks>
/// <param name="durablePosition">The position durable at open (the end of the recovered records, all synced).</param>
internal sealed class JournalDurabilityWaiters(long durablePosition)
{
    private readonly PriorityQueue<Wait, long> _waiters = new();

    /// <summary>The journal-wide position up to which every record is durable; never moves back.</summary>
    public long DurablePosition { get; private set; } = durablePosition;

    /// <summary>Whether the lowest position waited for is not durable yet: the group commit has an fsync to make.</summary>
    public bool NeedsSync => _waiters.TryPeek(out _, out var lowest) && lowest > DurablePosition;

    /// <summary>A wait for <paramref name="position"/> (which the caller found beyond <see cref="DurablePosition"/>): completes in <see cref="CompleteThrough"/>, faults in <see cref="FaultAll"/>.</summary>
    public Task Add(long position) => Add(position, null, null);

    /// <summary>As <see cref="Add(long)"/>, and calls <paramref name="whenComplete"/>(<paramref name="state"/>) once the returned task has completed or faulted (under the journal's lock).</summary>
    public Task Add(long position, Action<object?>? whenComplete, object? state)
    {
        var wait = new Wait(whenComplete, state);
        _waiters.Enqueue(wait, position);
        return wait.Completion.Task;
    }

    /// <summary>Records are durable up to <paramref name="durable"/> (a lower value leaves <see cref="DurablePosition"/> as it is): completes every wait it covers.</summary>
    public void CompleteThrough(long durable)
    {
        DurablePosition = Math.Max(DurablePosition, durable);
        while (_waiters.TryPeek(out var wait, out var position) && position <= DurablePosition)
        {
            _waiters.Dequeue();
            wait.Completion.TrySetResult();
            wait.Notify();
        }
    }

    /// <summary>Faults every wait with <paramref name="exception"/> (the journal failed or closed).</summary>
    public void FaultAll(Exception exception)
    {
        while (_waiters.TryDequeue(out var wait, out _))
        {
            wait.Completion.TrySetException(exception);
            wait.Notify();
        }
    }

    /// <summary>One wait: its task, and the callback to call once the task has completed (none for a plain wait).</summary>
    private sealed class Wait(Action<object?>? whenComplete, object? state)
    {
        public TaskCompletionSource Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Notify() => whenComplete?.Invoke(state);
    }
}
