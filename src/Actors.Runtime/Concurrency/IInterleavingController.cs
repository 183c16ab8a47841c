namespace Actors.Runtime.Concurrency;

/// <summary>
/// Takes over the runtime's synchronization points for a systematic interleaving explorer (tests only; see
/// <see cref="InterleavingPoints"/>). Members are called on the thread that reached the point.
/// </summary>
internal interface IInterleavingController
{
    /// <summary>True when the current thread is one of the explorer's controlled threads (other threads use the real primitives).</summary>
    bool ControlsCurrentThread { get; }

    /// <summary>A point where another controlled thread may run next (before an atomic operation on shared memory).</summary>
    void Point(string label);

    /// <summary>Acquires <paramref name="gate"/> (reentrant), letting other threads run while it is held elsewhere.</summary>
    void Enter(object gate);

    /// <summary>Releases <paramref name="gate"/>.</summary>
    void Exit(object gate);

    /// <summary>Runs <paramref name="item"/> on a new controlled thread (instead of the thread pool).</summary>
    void Dispatch(IThreadPoolWorkItem item);
}
