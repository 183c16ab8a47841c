using Actors.Runtime.Tests.Infrastructure;

namespace Actors.Runtime.Tests.Grains;

public interface ISlowStartGrain : IGrainWithStringKey
{
    Task<string> Hello();
}

/// <summary>OnActivateAsync waits for the probe's "activate" gate: calls queue behind an activation that makes no progress.</summary>
public sealed class SlowStartGrain(Probe probe) : Grain, ISlowStartGrain
{
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        probe.Record("activating");
        await probe.Gate("activate").Task;
    }

    public Task<string> Hello() => Task.FromResult("hello");
}
