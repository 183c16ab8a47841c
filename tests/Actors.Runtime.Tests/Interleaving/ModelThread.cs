namespace Actors.Runtime.Tests.Interleaving;

/// <summary>
/// A thread of one explored execution: a real OS thread that runs only when the explorer resumes it and stops at every
/// interleaving point, so exactly one model thread runs at a time.
/// </summary>
internal sealed class ModelThread
{
    [ThreadStatic]
    private static ModelThread? _current;

    private readonly SemaphoreSlim _resume = new(0);
    private readonly Action _body;

    public ModelThread(ExplorationRun run, int id, string name, Action body)
    {
        Run = run;
        Id = id;
        Name = name;
        _body = body;
    }

    /// <summary>The model thread running on the current OS thread, or null.</summary>
    public static ModelThread? Current => _current;

    public ExplorationRun Run { get; }

    public int Id { get; }

    public string Name { get; }

    /// <summary>What the thread will do when resumed (the label of the point it waits at).</summary>
    public string NextStep { get; set; } = "start";

    /// <summary>The gate the thread waits to acquire at its current point, or null.</summary>
    public object? WaitingFor { get; set; }

    public bool Finished { get; private set; }

    /// <summary>Stores not yet visible to other threads (store-buffer model), oldest first.</summary>
    public Queue<(TsoCell Cell, int Value)> StoreBuffer { get; } = new();

    /// <summary>Puts the thread on a carrier, where it waits to be resumed for the first time.</summary>
    public void Start() => CarrierThread.Run(Main);

    /// <summary>Lets the thread run until its next point (the explorer then waits for it).</summary>
    public void Resume() => _resume.Release();

    /// <summary>Called on this thread: hand control back to the explorer and wait to be resumed.</summary>
    public void Yield(string label, object? waitingFor = null)
    {
        NextStep = label;
        WaitingFor = waitingFor;
        Run.ThreadYielded();
        _resume.Wait();
        Run.ThrowIfAborted();
    }

    private void Main()
    {
        _current = this;
        _resume.Wait();
        try
        {
            Run.ThrowIfAborted();
            _body();
        }
        catch (ExplorationAbortedException)
        {
            // The execution was cut short (violation or deadlock elsewhere); unwind quietly.
        }
        catch (Exception ex)
        {
            Run.Fail($"thread '{Name}' threw {ex.GetType().Name}: {ex.Message}");
        }
        finally
        {
            Finished = true;
            NextStep = "finished";
            _current = null;
            Run.ThreadYielded();

            // The carrier may take another model thread right after this; nothing below may touch this one.
        }
    }
}
