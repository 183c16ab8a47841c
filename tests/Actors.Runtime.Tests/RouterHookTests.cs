using System.Collections.Concurrent;
using Actors.Hosting;
using Actors.Invocation;
using Actors.Runtime.Tests.Grains;
using Actors.Runtime.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Actors.Runtime.Tests;

/// <summary>The runtime's hook for clusters: <see cref="IGrainCallRouter"/> and <see cref="ISiloActivations"/>.</summary>
public sealed class RouterHookTests
{
    private readonly Probe _probe = new();
    private readonly ScriptedRouter _router = new();

    private TestSilo StartSilo() => TestSilo.Start(
        s => s.AddGrain<LifecycleGrain>().AddGrain<SlowExitGrain>(),
        services: services => services
            .AddSingleton(_probe)
            .AddSingleton(new ActivationFailures())
            .AddSingleton<IGrainCallRouter>(_router));

    [Fact]
    public async Task Call_RouterSendsElsewhere_NoLocalActivationAndRemoteResultReturned()
    {
        await using TestSilo silo = StartSilo();
        _router.RemoteResults["lifecycle/far"] = "from another silo";

        string result = await silo.Factory.GetGrain<ILifecycleGrain>("far").Hello();

        Assert.Equal("from another silo", result);
        Assert.Empty(_probe.Events);
        Assert.Equal(0, silo.Services.GetRequiredService<ISiloActivations>().Count);
    }

    [Fact]
    public async Task Call_RouterSaysLocal_RouterSeesCanonicalTargetAndDescriptor()
    {
        await using TestSilo silo = StartSilo();

        Assert.Equal("hello near", await silo.Factory.GetGrain<ILifecycleGrain>("near").Hello());

        GrainClassDescriptor descriptor = Assert.Single(_router.Admitted.Values.Distinct());
        Assert.Equal(typeof(LifecycleGrain), descriptor.GrainClass);
        Assert.Equal("lifecycle", descriptor.TypeName);
        Assert.Empty(descriptor.StoreNames);
        Assert.Contains(new GrainId("lifecycle", "near"), _router.Routed);
    }

    [Fact]
    public async Task Activation_RouterRefusesThenSendsElsewhere_QueuedCallRoutedAgainWithoutGrainCode()
    {
        await using TestSilo silo = StartSilo();
        var grain = new GrainId("lifecycle", "moving");
        _router.RefuseActivation(grain, thenRemoteResult: "served by the new owner");

        string result = await silo.Factory.GetGrain<ILifecycleGrain>("moving").Hello();

        Assert.Equal("served by the new owner", result);
        Assert.Empty(_probe.Events);
        Assert.Equal(0, silo.Services.GetRequiredService<ISiloActivations>().Count);
        Assert.DoesNotContain(grain, _router.Deactivated);
    }

    [Fact]
    public async Task Activation_RouterKeepsSayingLocalButRefuses_CallFailsAfterBoundedReroutes()
    {
        await using TestSilo silo = StartSilo();
        _router.AlwaysRefuse.Add(new GrainId("lifecycle", "loop"));

        SiloUnavailableException error = await Assert.ThrowsAsync<SiloUnavailableException>(
            () => silo.Factory.GetGrain<ILifecycleGrain>("loop").Hello());

        Assert.Contains("routed 32 times", error.Message, StringComparison.Ordinal);
        Assert.Empty(_probe.Events);
    }

    [Fact]
    public async Task DeactivateAsync_MatchingActivations_DeactivatedAndRouterToldOthersKept()
    {
        await using TestSilo silo = StartSilo();
        ISiloActivations activations = silo.Services.GetRequiredService<ISiloActivations>();
        await silo.Factory.GetGrain<ILifecycleGrain>("a").Hello();
        await silo.Factory.GetGrain<ILifecycleGrain>("b").Hello();

        await activations.DeactivateAsync(id => id.Key == "a", new DeactivationReason(DeactivationReasonCode.Migrating, "test"));

        Assert.Contains("deactivate:a:Migrating", _probe.Events);
        Assert.DoesNotContain("deactivate:b:Migrating", _probe.Events);
        Assert.Equal([new GrainId("lifecycle", "b")], activations.GetActivations());
        Assert.Contains(new GrainId("lifecycle", "a"), _router.Deactivated);
    }

    [Fact]
    public async Task DeactivateAsync_QueuedCallDuringDeactivation_RoutedAgainToNewPlace()
    {
        await using TestSilo silo = StartSilo();
        ISiloActivations activations = silo.Services.GetRequiredService<ISiloActivations>();
        ISlowExitGrain grain = silo.Factory.GetGrain<ISlowExitGrain>("s");
        int first = await grain.Generation();

        Task relocation = activations.DeactivateAsync(_ => true, new DeactivationReason(DeactivationReasonCode.Migrating, "test"));
        await _probe.WaitForAsync("exiting");
        _router.RemoteResults["slowexit/s"] = -1;
        Task<int> queued = grain.Generation();
        _probe.Gate("exit").SetResult();
        await relocation;

        Assert.Equal(-1, await queued);
        Assert.True(first > 0);
        Assert.Equal(0, activations.Count);
    }

    /// <summary>A router whose decisions the test sets per grain id (its string form).</summary>
    private sealed class ScriptedRouter : IGrainCallRouter
    {
        private readonly ConcurrentDictionary<GrainId, object?> _afterRefusal = new();

        public ConcurrentDictionary<string, object?> RemoteResults { get; } = new();

        public ConcurrentDictionary<GrainId, GrainClassDescriptor> Admitted { get; } = new();

        public ConcurrentBag<GrainId> Routed { get; } = [];

        public ConcurrentBag<GrainId> Deactivated { get; } = [];

        public ConcurrentBag<GrainId> AlwaysRefuse { get; } = [];

        public void RefuseActivation(GrainId grainId, object? thenRemoteResult) => _afterRefusal[grainId] = thenRemoteResult;

        public ValueTask<GrainCallRoute> RouteAsync(GrainCallRequest request, GrainClassDescriptor grainClass, CancellationToken cancellationToken)
        {
            Routed.Add(request.Target);
            return RemoteResults.TryGetValue(request.Target.ToString(), out object? result)
                ? ValueTask.FromResult(GrainCallRoute.Remote(Task.FromResult(result)))
                : ValueTask.FromResult(GrainCallRoute.Local);
        }

        public ValueTask<bool> CanActivateAsync(GrainId grainId, GrainClassDescriptor grainClass, CancellationToken cancellationToken)
        {
            if (AlwaysRefuse.Contains(grainId))
            {
                return ValueTask.FromResult(false);
            }

            if (_afterRefusal.TryRemove(grainId, out object? remote))
            {
                RemoteResults[grainId.ToString()] = remote;
                return ValueTask.FromResult(false);
            }

            Admitted[grainId] = grainClass;
            return ValueTask.FromResult(true);
        }

        public void OnDeactivated(GrainId grainId, GrainClassDescriptor grainClass) => Deactivated.Add(grainId);
    }
}
