using Actors.Runtime.Tests.Infrastructure;

namespace Actors.Runtime.Tests.Grains;

public interface IParticipantGrain : IGrainWithStringKey
{
    Task<string> ContextId();

    Task DeactivateNow();

    Task SubscribeLate();
}

/// <summary>Subscribes lifecycle participants at stages around Activate (out of order) and records when each runs.</summary>
public sealed class ParticipantGrain(Probe probe) : Grain, IParticipantGrain
{
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        probe.Record("activate");
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        probe.Record("deactivate");
        return Task.CompletedTask;
    }

    public Task<string> ContextId() => Task.FromResult(GrainContext.GrainId.ToString() + "|" + ReferenceEquals(GrainContext.GrainInstance, this));

    public Task DeactivateNow()
    {
        DeactivateOnIdle();
        return Task.CompletedTask;
    }

    public Task SubscribeLate()
    {
        GrainContext.ObservableLifecycle.Subscribe("late", GrainLifecycleStage.Last, _ => Task.CompletedTask);
        return Task.CompletedTask;
    }

    protected override void Participate(IGrainLifecycle lifecycle)
    {
        base.Participate(lifecycle);
        Subscribe(lifecycle, "after", GrainLifecycleStage.Activate + 1);
        Subscribe(lifecycle, "setup", GrainLifecycleStage.SetupState);
        Subscribe(lifecycle, "at-activate", GrainLifecycleStage.Activate);
        Subscribe(lifecycle, "first", GrainLifecycleStage.First);
    }

    private void Subscribe(IGrainLifecycle lifecycle, string name, int stage) => lifecycle.Subscribe(
        name,
        stage,
        _ =>
        {
            probe.Record($"start:{name}");
            return Task.CompletedTask;
        },
        _ =>
        {
            probe.Record($"stop:{name}");
            return name == "setup" ? throw new InvalidOperationException("stop failure ignored by test") : Task.CompletedTask;
        });
}
