using Actors.Runtime.Concurrency;
using Actors.Timers;

namespace Actors.Runtime;

/// <content>The activation's grain timers: registered from its turns, disposed when it deactivates.</content>
internal sealed partial class ActivationData
{
    private List<GrainTimer>? _timers;

    /// <summary>Adds a timer to the activation.</summary>
    /// <exception cref="InvalidOperationException">The activation is deactivating or gone.</exception>
    public void AddTimer(GrainTimer timer)
    {
        using (InterleavingPoints.Lock(Gate))
        {
            if (_state is ActivationState.Deactivating or ActivationState.Invalid)
            {
                throw new InvalidOperationException($"Grain {GrainId} is deactivating; it cannot register a timer.");
            }

            (_timers ??= []).Add(timer);
        }
    }

    /// <summary>Forgets a timer that was disposed by the grain.</summary>
    public void RemoveTimer(GrainTimer timer)
    {
        using (InterleavingPoints.Lock(Gate))
        {
            _timers?.Remove(timer);
        }
    }

    /// <summary>
    /// Queues a timer tick. False when the activation no longer takes local turns (deactivating or gone): the tick is
    /// dropped, as the timer is being disposed with the activation.
    /// </summary>
    public bool TryAcceptLocalTurn(GrainCall tick)
    {
        using (InterleavingPoints.Lock(Gate))
        {
            if (_state is not (ActivationState.Activating or ActivationState.Valid) || _extras?.StopServing == true)
            {
                return false;
            }
        }

        return TryAccept(tick);
    }

    /// <summary>Disposes every timer (their callbacks' tokens are cancelled); called when deactivation begins, on failure and on kill.</summary>
    private void DisposeTimers()
    {
        GrainTimer[] timers;
        using (InterleavingPoints.Lock(Gate))
        {
            if (_timers is null || _timers.Count == 0)
            {
                return;
            }

            timers = [.. _timers];
            _timers.Clear();
        }

        foreach (GrainTimer timer in timers)
        {
            timer.DisposeWithActivation();
        }
    }
}
