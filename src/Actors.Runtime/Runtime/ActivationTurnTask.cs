namespace Actors.Runtime;

/// <summary>
/// A task that runs one turn on an <see cref="ActivationTaskScheduler"/>, derived from by the object the turn is about
/// (a <see cref="GrainCall"/>), so starting a turn allocates no separate delegate task.
/// </summary>
/// <remarks>
/// <para>Every turn task has the same static delegate and no state object (a base constructor cannot pass
/// <c>this</c>). The delegate finds its turn in a thread-static slot that <see cref="ActivationTaskScheduler"/> fills
/// immediately before it executes the task, on the same thread. That is sound because only the scheduler a task was
/// queued to can execute it (<see cref="TaskScheduler.TryExecuteTask"/> is protected and refuses tasks queued
/// elsewhere), and this scheduler fills the slot on every path that executes a task: its drain and inlining. The
/// delegate takes the slot and clears it before running the turn, so a turn that inlines another task cannot see a
/// stale value.</para>
/// <para>A turn task is started once (<see cref="Task.Start(TaskScheduler)"/>), like any task.</para>
/// </remarks>
internal abstract class ActivationTurnTask : Task
{
    private static readonly Action<object?> RunExecutingTurn = static _ =>
    {
        ActivationTurnTask turn = _executing ?? throw new InvalidOperationException("An activation turn task was executed by a scheduler other than the activation's.");
        _executing = null;
        turn.RunTurn();
    };

    [ThreadStatic]
    private static ActivationTurnTask? _executing;

    /// <summary>Creates the task (not started).</summary>
    protected ActivationTurnTask()
        : base(RunExecutingTurn, null, CancellationToken.None, TaskCreationOptions.DenyChildAttach)
    {
    }

    /// <summary>Called by the scheduler on the thread that is about to execute <paramref name="task"/>.</summary>
    internal static void BeforeExecute(Task task) => _executing = task as ActivationTurnTask;

    /// <summary>Called by the scheduler after executing a task (clears the slot if the task did not run).</summary>
    internal static void AfterExecute() => _executing = null;

    /// <summary>The turn's work, run with <see cref="TaskScheduler.Current"/> set to the activation's scheduler.</summary>
    protected abstract void RunTurn();
}
