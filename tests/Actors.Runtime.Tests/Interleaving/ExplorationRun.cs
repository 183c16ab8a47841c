namespace Actors.Runtime.Tests.Interleaving;

/// <summary>
/// One explored execution: the model threads of a scenario, the gates they hold, the store buffers of the memory model,
/// and the steps taken. Model code calls the members below from its model threads; the explorer drives
/// <see cref="Execute"/>.
/// </summary>
internal sealed class ExplorationRun
{
    private static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(30);

    private readonly List<ModelThread> _threads = [];
    private readonly Dictionary<object, (ModelThread Owner, int Count)> _gates = new(ReferenceEqualityComparer.Instance);
    private readonly SemaphoreSlim _yielded = new(0);
    private readonly List<string> _trace = [];
    private readonly List<string> _violations = [];
    private readonly List<Action> _finalChecks = [];
    private volatile bool _aborted;

    /// <summary>Creates an execution; <paramref name="storeBuffers"/> false makes every store visible at once (sequential consistency).</summary>
    public ExplorationRun(bool storeBuffers = true)
    {
        StoreBuffers = storeBuffers;
    }

    /// <summary>Whether plain stores wait in store buffers (x86-TSO) or reach memory at once (sequential consistency).</summary>
    public bool StoreBuffers { get; }

    /// <summary>The violations found (empty when the execution was correct).</summary>
    public IReadOnlyList<string> Violations => _violations;

    /// <summary>The steps taken, in order (for the failure report).</summary>
    public IReadOnlyList<string> Trace => _trace;

    /// <summary>How many scheduling choices this execution made.</summary>
    public int Steps => _trace.Count;

    /// <summary>Creates a model thread that starts when the explorer first chooses it.</summary>
    public void Spawn(string name, Action body)
    {
        var thread = new ModelThread(this, _threads.Count, name, body);
        _threads.Add(thread);
        thread.Start();
    }

    /// <summary>Records a violation unless <paramref name="condition"/> holds.</summary>
    public void Check(bool condition, string message)
    {
        if (!condition)
        {
            Fail(message);
        }
    }

    /// <summary>Adds a check run after every thread finished and every buffered store reached memory.</summary>
    public void AtEnd(Action check) => _finalChecks.Add(check);

    public void Fail(string message)
    {
        lock (_violations)
        {
            _violations.Add(message);
        }
    }

    /// <summary>An interleaving point on the calling model thread.</summary>
    public void Point(string label) => CurrentThread().Yield(label);

    /// <summary>Acquires a gate (reentrant); other threads may run while the caller waits for it.</summary>
    public void Enter(object gate) => CurrentThread().Yield("enter", gate);

    public void Exit(object gate)
    {
        ModelThread thread = CurrentThread();
        if (!_gates.TryGetValue(gate, out (ModelThread Owner, int Count) held) || held.Owner != thread)
        {
            Fail($"thread '{thread.Name}' released a gate it does not hold");
            return;
        }

        if (held.Count == 1)
        {
            _gates.Remove(gate);
        }
        else
        {
            _gates[gate] = (thread, held.Count - 1);
        }
    }

    /// <summary>Reads a cell: the caller's newest buffered store to it, else memory.</summary>
    public int Load(TsoCell cell)
    {
        ModelThread thread = CurrentThread();
        thread.Yield($"load {cell.Name}");
        int value = cell.Memory;
        foreach ((TsoCell buffered, int v) in thread.StoreBuffer)
        {
            if (buffered == cell)
            {
                value = v;
            }
        }

        return value;
    }

    /// <summary>A plain (release) store: buffered until the explorer flushes it or the thread fences.</summary>
    public void Store(TsoCell cell, int value)
    {
        ModelThread thread = CurrentThread();
        thread.Yield($"store {cell.Name}={value}");
        if (StoreBuffers)
        {
            thread.StoreBuffer.Enqueue((cell, value));
        }
        else
        {
            cell.Memory = value;
        }
    }

    /// <summary>An interlocked exchange: flushes the caller's buffer, then swaps in memory.</summary>
    public int Exchange(TsoCell cell, int value)
    {
        ModelThread thread = CurrentThread();
        thread.Yield($"exchange {cell.Name}={value}");
        FlushAll(thread);
        int old = cell.Memory;
        cell.Memory = value;
        return old;
    }

    /// <summary>An interlocked compare-exchange: flushes the caller's buffer, then compares and swaps in memory.</summary>
    public int CompareExchange(TsoCell cell, int value, int comparand)
    {
        ModelThread thread = CurrentThread();
        thread.Yield($"cas {cell.Name} {comparand}->{value}");
        FlushAll(thread);
        int old = cell.Memory;
        if (old == comparand)
        {
            cell.Memory = value;
        }

        return old;
    }

    /// <summary>A full fence: flushes the caller's buffer.</summary>
    public void Fence()
    {
        ModelThread thread = CurrentThread();
        thread.Yield("fence");
        FlushAll(thread);
    }

    internal void ThreadYielded() => _yielded.Release();

    internal void ThrowIfAborted()
    {
        if (_aborted)
        {
            throw new ExplorationAbortedException();
        }
    }

    /// <summary>Runs the execution to its end, asking <paramref name="chooser"/> at every step which option runs next.</summary>
    internal void Execute(IScheduleChooser chooser)
    {
        ModelThread? current = null;
        while (_violations.Count == 0)
        {
            List<ScheduleOption> options = EnabledOptions(current);
            if (options.Count == 0)
            {
                if (_threads.Any(t => !t.Finished))
                {
                    Fail("deadlock: " + string.Join(", ", _threads.Where(t => !t.Finished).Select(t => $"'{t.Name}' waits at {t.NextStep}")));
                }

                break;
            }

            ScheduleOption option = options[chooser.Choose(options)];
            if (option.Flush)
            {
                (TsoCell cell, int value) = option.Thread.StoreBuffer.Dequeue();
                cell.Memory = value;
                _trace.Add($"flush {option.Thread.Name}: {cell.Name}={value}");
                continue;
            }

            ModelThread thread = option.Thread;
            _trace.Add($"{thread.Name}: {thread.NextStep}");
            if (thread.WaitingFor is { } gate)
            {
                _gates[gate] = (thread, _gates.TryGetValue(gate, out (ModelThread Owner, int Count) held) ? held.Count + 1 : 1);
                thread.WaitingFor = null;
            }

            current = thread;
            thread.Resume();
            if (!_yielded.Wait(StepTimeout))
            {
                Fail($"thread '{thread.Name}' did not reach its next interleaving point within {StepTimeout} (it blocked on something the explorer does not control)");
                break;
            }
        }

        if (_violations.Count == 0)
        {
            foreach (ModelThread thread in _threads)
            {
                FlushAll(thread);
            }

            foreach (Action check in _finalChecks)
            {
                check();
            }
        }

        Abort();
    }

    private List<ScheduleOption> EnabledOptions(ModelThread? current)
    {
        var options = new List<ScheduleOption>();
        bool IsEnabled(ModelThread t) => !t.Finished
            && (t.WaitingFor is null || !_gates.TryGetValue(t.WaitingFor, out (ModelThread Owner, int Count) held) || held.Owner == t);

        // The default choice keeps the current thread running; others are preemptions (bounded by the explorer).
        if (current is not null && IsEnabled(current))
        {
            options.Add(new ScheduleOption(current, Flush: false, Preempts: false));
        }

        bool currentEnabled = options.Count == 1;
        foreach (ModelThread thread in _threads)
        {
            if (thread != current && IsEnabled(thread))
            {
                options.Add(new ScheduleOption(thread, Flush: false, Preempts: currentEnabled));
            }
        }

        foreach (ModelThread thread in _threads)
        {
            if (thread.StoreBuffer.Count > 0)
            {
                options.Add(new ScheduleOption(thread, Flush: true, Preempts: false));
            }
        }

        return options;
    }

    private static void FlushAll(ModelThread thread)
    {
        while (thread.StoreBuffer.TryDequeue(out (TsoCell Cell, int Value) store))
        {
            store.Cell.Memory = store.Value;
        }
    }

    private ModelThread CurrentThread()
        => ModelThread.Current is { } thread && thread.Run == this
            ? thread
            : throw new InvalidOperationException("Model operations must run on a model thread of this execution.");

    private void Abort()
    {
        _aborted = true;
        for (int i = 0; i < _threads.Count; i++)
        {
            ModelThread thread = _threads[i];
            while (!thread.Finished)
            {
                thread.Resume();
                if (!_yielded.Wait(StepTimeout))
                {
                    throw new InvalidOperationException($"Model thread '{thread.Name}' did not unwind after the execution ended.");
                }
            }
        }
    }
}
