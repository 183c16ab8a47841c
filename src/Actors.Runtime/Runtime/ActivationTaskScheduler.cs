using System.Collections.Concurrent;

namespace Actors.Runtime;

/// <summary>
/// The per-activation scheduler: runs queued tasks one at a time on the thread pool, so an activation's turns and
/// their continuations (which capture <see cref="TaskScheduler.Current"/>) never run in parallel.
/// </summary>
/// <remarks>
/// Like Orleans' activation task scheduler: a drain loop runs at most <see cref="TurnBatch"/> tasks before yielding
/// the pool thread. Inlining is allowed only on the thread that is draining this scheduler, which already owns it.
/// </remarks>
internal sealed class ActivationTaskScheduler : TaskScheduler, IThreadPoolWorkItem
{
    private const int TurnBatch = 64;

    [ThreadStatic]
    private static ActivationTaskScheduler? _draining;

    private readonly ConcurrentQueue<Task> _queue = new();
    private int _scheduled;

    /// <inheritdoc />
    public override int MaximumConcurrencyLevel => 1;

    public int QueueLength => _queue.Count;

    /// <summary>The activation whose turns this scheduler runs (null for a scheduler not owned by an activation).</summary>
    public ActivationData? Owner { get; init; }

    /// <summary>The activation whose turn is running on this thread, or null outside grain turns.</summary>
    public static ActivationData? CurrentActivation => (Current as ActivationTaskScheduler)?.Owner;

    /// <summary>True on the thread currently running this scheduler's tasks.</summary>
    public bool IsCurrent => ReferenceEquals(_draining, this);

    void IThreadPoolWorkItem.Execute()
    {
        _draining = this;
        try
        {
            for (int i = 0; i < TurnBatch && _queue.TryDequeue(out Task? task); i++)
            {
                TryExecuteTask(task);
            }
        }
        finally
        {
            _draining = null;

            // A full fence, not a volatile write: the store must be visible before the queue is read again.
            // With a plain store the read below can pass it; a task queued in that window sees the flag still
            // set, does not schedule a drain, and is never run (the activation wedges for good).
            Interlocked.Exchange(ref _scheduled, 0);
            if (!_queue.IsEmpty)
            {
                ScheduleDrain();
            }
        }
    }

    /// <inheritdoc />
    protected override void QueueTask(Task task)
    {
        _queue.Enqueue(task);
        ScheduleDrain();
    }

    /// <inheritdoc />
    protected override bool TryExecuteTaskInline(Task task, bool taskWasPreviouslyQueued)
        => !taskWasPreviouslyQueued && IsCurrent && TryExecuteTask(task);

    /// <inheritdoc />
    protected override IEnumerable<Task> GetScheduledTasks() => _queue.ToArray();

    private void ScheduleDrain()
    {
        if (Interlocked.CompareExchange(ref _scheduled, 1, 0) == 0)
        {
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        }
    }
}
