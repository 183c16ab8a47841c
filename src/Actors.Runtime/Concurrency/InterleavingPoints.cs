namespace Actors.Runtime.Concurrency;

/// <summary>
/// The synchronization points of the runtime's concurrent hand-offs (activation run queues, call completion, the
/// outstanding-call tracker): acquiring and releasing a gate, dispatching a work item to the thread pool, and points
/// before atomic operations of lock-free code.
/// </summary>
/// <remarks>
/// <para>In production each member is exactly the primitive it names (<see cref="Monitor"/>,
/// <see cref="ThreadPool.UnsafeQueueUserWorkItem(IThreadPoolWorkItem, bool)"/>) or nothing: <see cref="Controller"/>
/// is a static readonly null, so the JIT removes the test branch.</para>
/// <para>Tests install an <see cref="IInterleavingController"/> through <see cref="AppContext.SetData"/> under
/// <see cref="ControllerKey"/> before the runtime is first used (a module initializer). The controller then runs the
/// threads it controls one at a time and chooses at every point which one continues, so a test can enumerate the
/// interleavings of real runtime code (tests/Actors.Runtime.Tests/Interleaving). Threads it does not control use the
/// real primitives.</para>
/// </remarks>
internal static class InterleavingPoints
{
    /// <summary>The <see cref="AppContext"/> data key under which a test installs its controller.</summary>
    public const string ControllerKey = "Actors.Runtime.InterleavingController";

    private static readonly IInterleavingController? Controller = AppContext.GetData(ControllerKey) as IInterleavingController;

    /// <summary>A point before an atomic operation on shared memory (no-op in production).</summary>
    public static void Point(string label)
    {
        if (Controller is { ControlsCurrentThread: true } controller)
        {
            controller.Point(label);
        }
    }

    /// <summary>Acquires <paramref name="gate"/> until the returned scope is disposed: <c>using (InterleavingPoints.Lock(gate)) { ... }</c>.</summary>
    public static GateScope Lock(object gate)
    {
        Enter(gate);
        return new GateScope(gate);
    }

    /// <summary><see cref="Monitor.Enter(object)"/>.</summary>
    public static void Enter(object gate)
    {
        if (Controller is { ControlsCurrentThread: true } controller)
        {
            controller.Enter(gate);
            return;
        }

        Monitor.Enter(gate);
    }

    /// <summary><see cref="Monitor.Exit(object)"/>.</summary>
    public static void Exit(object gate)
    {
        if (Controller is { ControlsCurrentThread: true } controller)
        {
            controller.Exit(gate);
            return;
        }

        Monitor.Exit(gate);
    }

    /// <summary><see cref="Thread.GetCurrentProcessorId"/>; 0 on controlled threads, so explored executions replay identically.</summary>
    public static int ProcessorId() => Controller is { ControlsCurrentThread: true } ? 0 : Thread.GetCurrentProcessorId();

    /// <summary>Queues <paramref name="item"/> to the thread pool's global queue.</summary>
    public static void Dispatch(IThreadPoolWorkItem item)
    {
        if (Controller is { ControlsCurrentThread: true } controller)
        {
            controller.Dispatch(item);
            return;
        }

        ThreadPool.UnsafeQueueUserWorkItem(item, preferLocal: false);
    }
}
