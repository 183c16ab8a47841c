using Actors.Wal.Writing;

namespace Actors.Wal.Tests.Interleaving;

/// <summary>
/// Runs one execution of a scenario's threads one at a time: each runs until it reaches an
/// <see cref="InterleavingPoint"/> (or blocks on a <see cref="ScheduledWakeSignal"/>, or ends), then the scheduler picks
/// which runnable thread goes next. The picks come from a prefix (replayed) and are 0 beyond it; every pick is recorded
/// with how many threads could have gone, so <see cref="InterleavingExplorer"/> can enumerate all executions.
/// </summary>
/// <remarks>
/// <para>Pick 0 is always the thread that ran last when it can go on; switching away from it is a preemption, and once an
/// execution has used its preemption bound, that thread is the only choice (as in CHESS: most concurrency bugs need
/// only a few preemptions, and the bound keeps the executions countable). A thread that blocks or ends is no preemption.</para>
/// <para>Code between two points runs without another scenario thread running, so the steps the points separate are exactly
/// the ones whose orders are explored. An execution where no thread can go but one is blocked on the signal is a lost
/// wake-up (<see cref="Deadlocked"/>). A thread that neither reaches a point nor ends within <see cref="StepTimeout"/>
/// fails the execution (a hang guard, not a timing assumption: no step waits for anything outside the scheduler).</para>
/// </remarks>
internal sealed class StepScheduler : IInterleavingProbe
{
    /// <summary>How long a step may run before the execution is reported as hung.</summary>
    public static readonly TimeSpan StepTimeout = TimeSpan.FromMinutes(1);

    private readonly object _lock = new();
    private readonly List<Participant> _participants = [];
    private readonly IReadOnlyList<int> _prefix;
    private readonly int _preemptionBound;
    private readonly List<string> _trace = [];
    private Participant? _turn;
    private Participant? _last;
    private int _preemptions;
    private bool _aborted;

    /// <summary>Creates a scheduler that replays <paramref name="prefix"/>'s picks first.</summary>
    public StepScheduler(IReadOnlyList<int> prefix, int preemptionBound)
    {
        _prefix = prefix;
        _preemptionBound = preemptionBound;
    }

    /// <summary>Each pick made: the index chosen among the runnable threads, and how many there were.</summary>
    public List<(int Chosen, int Options)> Picks { get; } = [];

    /// <summary>True when the execution ended with a thread blocked on the signal and no thread able to wake it.</summary>
    public bool Deadlocked { get; private set; }

    /// <summary>Errors thrown by the scenario's threads.</summary>
    public List<Exception> Errors { get; } = [];

    /// <summary>The points reached, in order, as "thread: point".</summary>
    public IReadOnlyList<string> Trace => _trace;

    /// <summary>Adds a thread to the execution (before <see cref="Run"/>).</summary>
    public void Spawn(string name, Action body) => _participants.Add(new Participant(name, body));

    /// <summary>Runs the execution to its end (every thread done, or a deadlock).</summary>
    public void Run()
    {
        foreach (var participant in _participants)
        {
            participant.Thread = new Thread(() => RunParticipant(participant)) { IsBackground = true, Name = participant.Name };
            participant.Thread.Start();
        }

        lock (_lock)
        {
            try
            {
                RunPicks();
            }
            finally
            {
                _aborted = true; // releases the threads still waiting for a turn (blocked, or left behind by a hung step)
                Monitor.PulseAll(_lock);
            }
        }
    }

    /// <summary>Picks threads until none can go (under the lock).</summary>
    private void RunPicks()
    {
        while (true)
        {
            var runnable = _participants.Where(p => p.State == ParticipantState.Runnable).ToList();
            bool lastCanGoOn = _last is { State: ParticipantState.Runnable };
            if (lastCanGoOn)
            {
                runnable.Remove(_last!);
                runnable.Insert(0, _last!);
                if (_preemptions >= _preemptionBound)
                {
                    runnable.RemoveRange(1, runnable.Count - 1);
                }
            }

            if (runnable.Count == 0)
            {
                Deadlocked = _participants.Any(p => p.State == ParticipantState.Blocked);
                return;
            }

            int chosen = Picks.Count < _prefix.Count ? _prefix[Picks.Count] : 0;
            Picks.Add((chosen, runnable.Count));
            _preemptions += lastCanGoOn && chosen > 0 ? 1 : 0;
            _turn = _last = runnable[chosen];
            Monitor.PulseAll(_lock);
            while (_turn is not null)
            {
                if (!Monitor.Wait(_lock, StepTimeout))
                {
                    throw new TimeoutException($"{_turn.Name} neither reached an interleaving point nor ended; trace: {string.Join(", ", _trace)}");
                }
            }
        }
    }

    /// <inheritdoc />
    public void Reached(InterleavingPoint point) => Yield(ParticipantState.Runnable, point.ToString());

    /// <summary>A point of the scenario's own code (between two calls into the code under test).</summary>
    public void Step(string name) => Yield(ParticipantState.Runnable, name);

    /// <summary>The calling thread blocks until <see cref="Unblock"/> makes it runnable and it is picked.</summary>
    public void Block() => Yield(ParticipantState.Blocked, "blocks");

    /// <summary>Makes every blocked thread runnable (they return from <see cref="Block"/> when picked).</summary>
    public void Unblock()
    {
        lock (_lock)
        {
            foreach (var participant in _participants.Where(p => p.State == ParticipantState.Blocked))
            {
                participant.State = ParticipantState.Runnable;
            }
        }
    }

    private void RunParticipant(Participant self)
    {
        try
        {
            WaitForTurn(self);
            self.Body();
        }
        catch (ExecutionAbortedException)
        {
            return;
        }
        catch (Exception ex)
        {
            lock (_lock)
            {
                Errors.Add(ex);
            }
        }

        lock (_lock)
        {
            self.State = ParticipantState.Done;
            _trace.Add($"{self.Name}: ends");
            _turn = null;
            Monitor.PulseAll(_lock);
        }
    }

    private void Yield(ParticipantState state, string step)
    {
        Participant? self;
        lock (_lock)
        {
            self = _participants.Find(p => p.Thread == Thread.CurrentThread)
                ?? throw new InvalidOperationException($"A thread outside the scenario reached '{step}': only the scenario's threads may use the queue under test.");

            _trace.Add($"{self.Name}: {step}");
            self.State = state;
            _turn = null;
            Monitor.PulseAll(_lock);
        }

        WaitForTurn(self);
    }

    private void WaitForTurn(Participant self)
    {
        lock (_lock)
        {
            while (!ReferenceEquals(_turn, self))
            {
                if (_aborted)
                {
                    throw new ExecutionAbortedException();
                }

                Monitor.Wait(_lock);
            }
        }
    }

    private enum ParticipantState
    {
        Runnable,
        Blocked,
        Done,
    }

    private sealed class Participant(string name, Action body)
    {
        public string Name { get; } = name;

        public Action Body { get; } = body;

        public Thread? Thread { get; set; }

        public ParticipantState State { get; set; } = ParticipantState.Runnable;
    }

    private sealed class ExecutionAbortedException : Exception
    {
    }
}
