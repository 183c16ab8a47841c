namespace Actors.Runtime.Tests.Interleaving;

/// <summary>How the legacy drain clears its scheduled flag.</summary>
internal enum FlagRelease
{
    /// <summary><c>Volatile.Write(ref _scheduled, 0)</c>: the code before commit f7eca11 (a plain store on x86).</summary>
    VolatileWrite,

    /// <summary><c>Interlocked.Exchange(ref _scheduled, 0)</c>: the fix of commit f7eca11 (a full fence).</summary>
    InterlockedExchange,
}

/// <summary>
/// A faithful copy of the lock-free ActivationTaskScheduler as it was until this redesign (a ConcurrentQueue plus an
/// int flag claimed with compare-exchange), written against the explorer's memory model so the store-load reordering
/// that lost wakeups can be reproduced. Only the flag release is injectable; every other step is the original's, in
/// the original's order:
/// <code>
/// Execute:     for (i &lt; TurnBatch &amp;&amp; queue.TryDequeue(out task)) run(task);
///              finally { release(scheduled = 0); if (!queue.IsEmpty) ScheduleDrain(); }
/// QueueTask:   queue.Enqueue(task); ScheduleDrain();
/// ScheduleDrain: if (CompareExchange(ref scheduled, 1, 0) == 0) ThreadPool.UnsafeQueueUserWorkItem(this);
/// </code>
/// </summary>
internal sealed class LegacySchedulerModel
{
    private readonly ExplorationRun _run;
    private readonly FlagRelease _release;
    private readonly int _turnBatch;
    private readonly TsoCell _scheduled = new("scheduled", 0);
    private readonly ModelQueue _queue;
    private readonly List<int> _ran = [];
    private int _running;

    public LegacySchedulerModel(ExplorationRun run, FlagRelease release, int turnBatch)
    {
        _run = run;
        _release = release;
        _turnBatch = turnBatch;
        _queue = new ModelQueue(run, "queue");
    }

    /// <summary>The tasks that ran, in order.</summary>
    public IReadOnlyList<int> Ran => _ran;

    public void QueueTask(int task)
    {
        _queue.Enqueue(task);
        ScheduleDrain();
    }

    private void ScheduleDrain()
    {
        if (_run.CompareExchange(_scheduled, 1, 0) == 0)
        {
            _run.Spawn("drain", Execute);
        }
    }

    private void Execute()
    {
        try
        {
            for (int i = 0; i < _turnBatch && _queue.TryDequeue(out int task); i++)
            {
                _run.Check(++_running == 1, $"task {task} ran while another task of the same scheduler was running");
                _run.Point($"run task {task}");
                _ran.Add(task);
                _running--;
            }
        }
        finally
        {
            if (_release == FlagRelease.VolatileWrite)
            {
                _run.Store(_scheduled, 0);
            }
            else
            {
                _run.Exchange(_scheduled, 0);
            }

            if (!_queue.IsEmpty)
            {
                ScheduleDrain();
            }
        }
    }
}
