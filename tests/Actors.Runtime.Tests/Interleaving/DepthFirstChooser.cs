namespace Actors.Runtime.Tests.Interleaving;

/// <summary>
/// Enumerates schedules depth-first (stateless model checking): each execution replays the choices of the previous one
/// up to the last choice point with an untried option, takes that option, and continues with default choices. Options
/// that would exceed the preemption bound are skipped (most concurrency bugs need very few preemptions).
/// </summary>
internal sealed class DepthFirstChooser(int preemptionBound) : IScheduleChooser
{
    private readonly List<ChoicePoint> _stack = [];
    private int _position;
    private int _preemptions;

    /// <summary>Starts the next execution (replays the current prefix).</summary>
    public void Restart()
    {
        _position = 0;
        _preemptions = 0;
    }

    public int Choose(IReadOnlyList<ScheduleOption> options)
    {
        ChoicePoint point;
        if (_position < _stack.Count)
        {
            point = _stack[_position];
            if (point.Options.Length != options.Count)
            {
                throw new InvalidOperationException(
                    $"The scenario is not deterministic: choice {_position} offered {options.Count} options on replay, {point.Options.Length} before.");
            }
        }
        else
        {
            point = new ChoicePoint([.. options.Select(o => o.Preempts)], _preemptions);
            _stack.Add(point);
        }

        _position++;
        if (point.Options[point.Chosen])
        {
            _preemptions++;
        }

        return point.Chosen;
    }

    /// <summary>Moves to the next untried schedule; false when every schedule within the bound was explored.</summary>
    public bool Advance()
    {
        while (_stack.Count > 0)
        {
            ChoicePoint point = _stack[^1];
            for (int next = point.Chosen + 1; next < point.Options.Length; next++)
            {
                if (point.PreemptionsBefore + (point.Options[next] ? 1 : 0) <= preemptionBound)
                {
                    point.Chosen = next;
                    return true;
                }
            }

            _stack.RemoveAt(_stack.Count - 1);
        }

        return false;
    }

    private sealed class ChoicePoint(bool[] options, int preemptionsBefore)
    {
        /// <summary>Per option: whether choosing it is a preemption.</summary>
        public bool[] Options { get; } = options;

        public int PreemptionsBefore { get; } = preemptionsBefore;

        public int Chosen { get; set; }
    }
}
