namespace Actors.Runtime;

/// <summary>
/// The <see cref="IGrainLifecycle"/> of one activation: its participants, started in ascending stage order around the
/// grain's <see cref="Grain.OnActivateAsync"/> and stopped in descending order after <see cref="Grain.OnDeactivateAsync"/>.
/// </summary>
/// <remarks>
/// Created only when something subscribes (most activations have no participant). Used from the activation's own
/// turns only, so it needs no lock.
/// </remarks>
internal sealed class ActivationLifecycle : IGrainLifecycle
{
    private readonly List<Participant> _participants = [];
    private bool _started;

    public void Subscribe(string observerName, int stage, Func<CancellationToken, Task> onStart, Func<CancellationToken, Task>? onStop = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(observerName);
        ArgumentNullException.ThrowIfNull(onStart);
        if (_started)
        {
            throw new InvalidOperationException($"Lifecycle participant '{observerName}' subscribed after the activation started its lifecycle; subscribe in the grain's constructor or Participate.");
        }

        _participants.Add(new Participant(observerName, stage, onStart, onStop));
    }

    /// <summary>Starts the participants in stage order, running <paramref name="activate"/> (OnActivateAsync) after those of stage <see cref="GrainLifecycleStage.Activate"/> and lower.</summary>
    public async Task StartAsync(Func<CancellationToken, Task> activate, CancellationToken cancellationToken)
    {
        _started = true;
        bool activated = false;
        foreach (Participant participant in _participants.OrderBy(p => p.Stage))
        {
            if (!activated && participant.Stage > GrainLifecycleStage.Activate)
            {
                await activate(cancellationToken);
                activated = true;
            }

            await participant.OnStart(cancellationToken);
        }

        if (!activated)
        {
            await activate(cancellationToken);
        }
    }

    /// <summary>Stops the participants in descending stage order; a failure is reported and the next one still stops.</summary>
    public async Task StopAsync(Action<Exception, string> onFailure, CancellationToken cancellationToken)
    {
        foreach (Participant participant in _participants.OrderByDescending(p => p.Stage))
        {
            if (participant.OnStop is null)
            {
                continue;
            }

            try
            {
                await participant.OnStop(cancellationToken);
            }
            catch (Exception ex)
            {
                onFailure(ex, participant.Name);
            }
        }
    }

    private sealed record Participant(string Name, int Stage, Func<CancellationToken, Task> OnStart, Func<CancellationToken, Task>? OnStop);
}
