using Actors.Hosting;
using Actors.Runtime.Tests.Grains;
using Actors.Runtime.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Actors.Runtime.Tests;

public sealed class GrainContextTests
{
    private readonly Probe _probe = new();

    private TestSilo StartSilo() => TestSilo.Start(s => s.AddGrain<ParticipantGrain>(), services: services => services.AddSingleton(_probe));

    [Fact]
    public async Task Grain_ConstructedByRuntime_IsBoundToItsActivationContext()
    {
        await using TestSilo silo = StartSilo();

        Assert.Equal("participant/a|True", await silo.Factory.GetGrain<IParticipantGrain>("a").ContextId());
        Assert.Null(RuntimeContext.Current);
    }

    [Fact]
    public void Grain_ConstructedOutsideRuntime_HasNoContext()
    {
        var grain = new ParticipantGrain(_probe);

        InvalidOperationException error = Assert.Throws<InvalidOperationException>(() => grain.GrainContext);
        Assert.Contains("not created by the Actors runtime", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Lifecycle_ActivateAndDeactivate_ParticipantsRunInStageOrderAroundGrainCallbacks()
    {
        await using TestSilo silo = StartSilo();
        IParticipantGrain grain = silo.Factory.GetGrain<IParticipantGrain>("b");

        await grain.ContextId();
        await grain.DeactivateNow();
        await _probe.WaitForAsync("stop:first");

        Assert.Equal(
            ["start:first", "start:setup", "start:at-activate", "activate", "start:after",
             "deactivate", "stop:after", "stop:at-activate", "stop:setup", "stop:first"],
            _probe.Events);
    }

    [Fact]
    public async Task Lifecycle_SubscribeAfterActivation_Throws()
    {
        await using TestSilo silo = StartSilo();

        InvalidOperationException error = await Assert.ThrowsAsync<InvalidOperationException>(() => silo.Factory.GetGrain<IParticipantGrain>("c").SubscribeLate());

        Assert.Contains("'late' subscribed after the activation started", error.Message, StringComparison.Ordinal);
    }
}
