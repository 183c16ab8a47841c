using Actors.Cluster.Hosting;
using Actors.Invocation;

namespace Actors.Cluster.Tests.Hosting;

public sealed class SiloInvokerAccessTests
{
    [Fact]
    public void Get_ServicesLive_ReturnsTheSilosInvoker()
    {
        var invoker = new NoopInvoker();
        using ServiceProvider services = new ServiceCollection().AddSingleton<IGrainCallInvoker>(invoker).BuildServiceProvider();

        Assert.Same(invoker, new SiloInvokerAccess(services, "silo-a").Get());
    }

    /// <remarks>The clean-clone CI run of 2026-11-23 01:56 saw a gateway client receive ObjectDisposedException from a forwarded call that reached a silo whose container was being disposed.</remarks>
    [Fact]
    public void Get_ServicesDisposed_RefusedAsSiloUnavailableNamingTheSilo()
    {
        ServiceProvider services = new ServiceCollection().AddSingleton<IGrainCallInvoker>(new NoopInvoker()).BuildServiceProvider();
        services.Dispose();

        var refused = Assert.Throws<SiloUnavailableException>(() => new SiloInvokerAccess(services, "silo-a").Get());
        Assert.Contains("silo-a", refused.Message);
        Assert.Contains("refused before it ran", refused.Message);
    }

    private sealed class NoopInvoker : IGrainCallInvoker
    {
        public ValueTask<object?> InvokeAsync(GrainCallRequest request, CancellationToken cancellationToken = default) => ValueTask.FromResult<object?>(null);
    }
}
