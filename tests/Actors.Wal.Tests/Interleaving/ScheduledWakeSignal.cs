using Actors.Wal.Writing;

namespace Actors.Wal.Tests.Interleaving;

/// <summary>
/// A wake-up signal with <see cref="ManualResetEventSlim"/>'s meaning (set stays set until reset) whose wait is a
/// blocked state of the <see cref="StepScheduler"/>: a wait nobody sets is seen as a deadlock instead of a hang.
/// </summary>
internal sealed class ScheduledWakeSignal(StepScheduler scheduler) : IWakeSignal
{
    private bool _set; // touched by one scenario thread at a time (the scheduler's lock orders them)

    /// <summary>How many times a thread had to block in <see cref="Wait"/> (the signal was not set when it waited).</summary>
    public int Blocks { get; private set; }

    /// <inheritdoc />
    public void Set()
    {
        _set = true;
        scheduler.Unblock();
    }

    /// <inheritdoc />
    public void Reset() => _set = false;

    /// <inheritdoc />
    public void Wait()
    {
        while (!_set)
        {
            Blocks++;
            scheduler.Block();
        }
    }
}
