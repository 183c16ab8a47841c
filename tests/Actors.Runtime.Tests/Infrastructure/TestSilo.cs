using Actors.Hosting;
using Actors.Runtime;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Actors.Runtime.Tests.Infrastructure;

/// <summary>A grain runtime on a plain service provider (no host), for runtime unit tests.</summary>
internal sealed class TestSilo : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private TestSilo(ServiceProvider services)
    {
        _services = services;
        Runtime = services.GetRequiredService<GrainRuntime>();
        Factory = services.GetRequiredService<IGrainFactory>();
    }

    public GrainRuntime Runtime { get; }

    public IGrainFactory Factory { get; }

    public IServiceProvider Services => _services;

    public static TestSilo Start(Action<ISiloBuilder> configure, Action<RuntimeSettings>? settings = null, TimeProvider? timeProvider = null, Action<IServiceCollection>? services = null)
    {
        var collection = new ServiceCollection();
        var runtimeSettings = new RuntimeSettings { SiloName = "test" };
        settings?.Invoke(runtimeSettings);
        collection.AddSingleton(runtimeSettings);
        if (timeProvider is not null)
        {
            collection.AddSingleton(timeProvider);
        }

        services?.Invoke(collection);
        collection.AddGrainRuntime();
        configure(new SiloBuilder(collection, new ConfigurationBuilder().Build()));
        ServiceProvider provider = collection.BuildServiceProvider();
        var silo = new TestSilo(provider);
        silo.Runtime.Start();
        return silo;
    }

    public async ValueTask DisposeAsync()
    {
        await Runtime.StopAsync(CancellationToken.None);
        await _services.DisposeAsync();
    }
}
