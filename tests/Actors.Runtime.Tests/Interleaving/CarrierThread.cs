namespace Actors.Runtime.Tests.Interleaving;

/// <summary>
/// An OS thread reused across explored executions to run model threads one after another (creating a thread per model
/// thread dominated the cost of an exploration).
/// </summary>
internal sealed class CarrierThread
{
    private static readonly Stack<CarrierThread> Idle = new();

    private readonly SemaphoreSlim _assigned = new(0);
    private Action? _work;

    private CarrierThread()
    {
        new Thread(Loop) { IsBackground = true, Name = "interleaving-carrier" }.Start();
    }

    /// <summary>Runs <paramref name="work"/> on an idle carrier (a new one when none is idle).</summary>
    public static void Run(Action work)
    {
        CarrierThread carrier;
        lock (Idle)
        {
            carrier = Idle.Count > 0 ? Idle.Pop() : new CarrierThread();
        }

        carrier._work = work;
        carrier._assigned.Release();
    }

    private void Loop()
    {
        while (true)
        {
            _assigned.Wait();
            Action work = _work!;
            _work = null;
            work();
            lock (Idle)
            {
                Idle.Push(this);
            }
        }
    }
}
