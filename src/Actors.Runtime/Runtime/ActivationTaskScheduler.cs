using Actors.Runtime.Concurrency;

namespace Actors.Runtime;

/// <summary>
/// The per-activation scheduler: runs the activation's tasks one at a time on the thread pool, in the order they were
/// queued, so an activation's turns and their continuations (which capture <see cref="TaskScheduler.Current"/>) never
/// run in parallel. <see cref="ActivationData"/> derives from it so an activation is one object.
/// </summary>
/// <remarks>
/// <para><b>Why no task is ever stranded.</b> The run queue and the <c>scheduled</c> flag are read and written only
/// while holding the gate (this object's monitor), so every access is ordered by the lock and the hand-off is
/// data-race-free: no memory-model reasoning beyond the lock is needed. The invariant, true whenever the gate is free:
/// <c>scheduled</c> is false exactly when the queue is empty and no drain is queued or running; when it is true,
/// exactly one drain is queued to the thread pool or running, and that drain dequeues until it finds the queue empty
/// <em>under the gate</em>, clearing <c>scheduled</c> in the same critical section. A producer reads <c>scheduled</c>
/// and enqueues in one critical section: either it sees false, sets it and dispatches a drain carrying its task (the
/// queue stays empty: an idle activation's first task is never written into this long-lived object, which keeps the
/// garbage collector's card table clean when calls are spread over many activations), or the drain that holds
/// <c>scheduled</c> has not yet observed an empty queue and will dequeue the task. (<see cref="GetScheduledTasks"/>
/// therefore does not list a drain's first task.) The earlier lock-free version
/// cleared a flag with a volatile write and then read the queue; x86 may satisfy that read before the write is visible
/// (store-load reordering), which lost a wakeup and wedged grains under load. The interleaving tests
/// (tests/Actors.Runtime.Tests/Interleaving) reproduce that bug on a faithful copy of the old code under a
/// store-buffer memory model and explore this version's interleavings exhaustively within their bounds.</para>
/// <para>A drain runs at most <see cref="TurnBatch"/> tasks, then, if tasks remain, queues itself again so other
/// activations get the thread. Inlining is allowed only on the thread already draining this scheduler. The gate is
/// the scheduler object itself (one monitor per activation, no lock object); <see cref="ActivationData"/> uses the
/// same gate for its request bookkeeping.</para>
/// </remarks>
internal class ActivationTaskScheduler : TaskScheduler, IThreadPoolWorkItem
{
    /// <summary>The default number of tasks one drain runs before yielding the pool thread.</summary>
    public const int DefaultTurnBatch = 64;

    [ThreadStatic]
    private static ActivationTaskScheduler? _draining;

    private readonly int _turnBatch;
    private TaskRunQueue _queue;
    private bool _scheduled;

    /// <summary>Creates a scheduler that runs up to <paramref name="turnBatch"/> tasks per drain.</summary>
    public ActivationTaskScheduler(int turnBatch = DefaultTurnBatch)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(turnBatch, 1);
        _turnBatch = turnBatch;
    }

    /// <inheritdoc />
    public override int MaximumConcurrencyLevel => 1;

    /// <summary>The number of tasks one drain runs before yielding the pool thread.</summary>
    public int TurnBatch => _turnBatch;

    /// <summary>True on the thread currently running this scheduler's tasks.</summary>
    public bool IsCurrent => ReferenceEquals(_draining, this);

    /// <summary>The activation's gate (this object's monitor).</summary>
    protected object Gate => this;

    void IThreadPoolWorkItem.Execute() => Drain(first: null);

    /// <inheritdoc />
    protected override void QueueTask(Task task)
    {
        bool start = false;
        using (InterleavingPoints.Lock(Gate))
        {
            if (_scheduled)
            {
                _queue.Enqueue(task);
            }
            else
            {
                // Idle (so the queue is empty): the task travels in the drain's own work item instead of the queue,
                // so starting a busy period writes no reference into this long-lived object.
                _scheduled = true;
                start = true;
            }
        }

        if (start)
        {
            InterleavingPoints.Dispatch(DrainStart.Rent(this, task));
        }
    }

    /// <inheritdoc />
    protected override bool TryExecuteTaskInline(Task task, bool taskWasPreviouslyQueued)
        => !taskWasPreviouslyQueued && IsCurrent && Execute(task);

    /// <inheritdoc />
    protected override IEnumerable<Task> GetScheduledTasks()
    {
        using (InterleavingPoints.Lock(Gate))
        {
            return _queue.ToArray();
        }
    }

    /// <summary>Runs <paramref name="first"/> (the task that started a busy period), then queued tasks up to the batch size.</summary>
    private void Drain(Task? first)
    {
        _draining = this;
        try
        {
            int ran = 0;
            if (first is not null)
            {
                Execute(first);
                ran = 1;
            }

            for (; ran < _turnBatch; ran++)
            {
                Task? task;
                using (InterleavingPoints.Lock(Gate))
                {
                    if (!_queue.TryDequeue(out task))
                    {
                        _scheduled = false;
                        return;
                    }
                }

                Execute(task);
            }

            using (InterleavingPoints.Lock(Gate))
            {
                if (_queue.Count == 0)
                {
                    _scheduled = false;
                    return;
                }
            }
        }
        finally
        {
            _draining = null;
        }

        // Still scheduled, tasks remain: hand the drain back to the pool so other activations get the thread.
        InterleavingPoints.Dispatch(this);
    }

    /// <summary>Executes <paramref name="task"/> on this thread (the one path by which this scheduler runs a task).</summary>
    private bool Execute(Task task)
    {
        ActivationTurnTask.BeforeExecute(task);
        bool ran = TryExecuteTask(task);
        ActivationTurnTask.AfterExecute();
        return ran;
    }

    /// <summary>
    /// The work item that starts a busy period: the drain plus the task that started it. (The task cannot be the work
    /// item itself: the thread pool refuses tasks as work items.)
    /// </summary>
    /// <remarks>
    /// Reused: once the pool runs it, it is no longer referenced by the pool, so <see cref="Execute"/> copies its
    /// fields, clears them and leaves itself in the running thread's one-slot cache for the next busy period that
    /// thread starts. Pool threads both start and run drains, so in steady state starting a busy period allocates
    /// nothing; the cached item is long-lived, but it is one object per thread, not a reference written into each
    /// activation.
    /// </remarks>
    private sealed class DrainStart : IThreadPoolWorkItem
    {
        [ThreadStatic]
        private static DrainStart? _cached;

        private ActivationTaskScheduler? _scheduler;
        private Task? _first;

        public static DrainStart Rent(ActivationTaskScheduler scheduler, Task first)
        {
            DrainStart item = _cached ?? new DrainStart();
            _cached = null;
            item._scheduler = scheduler;
            item._first = first;
            return item;
        }

        public void Execute()
        {
            ActivationTaskScheduler scheduler = _scheduler!;
            Task first = _first!;
            _scheduler = null;
            _first = null;
            _cached = this;
            scheduler.Drain(first);
        }
    }
}
