using Actors.Hosting.Health;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Actors.Hosting;

/// <summary>Hosts an Actors silo on the .NET Generic Host.</summary>
public static class ActorsHostBuilderExtensions
{
    /// <summary>Adds a silo to the host and configures it (grains, storage, gateway).</summary>
    public static IHostBuilder UseActors(this IHostBuilder hostBuilder, Action<ISiloBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(hostBuilder);
        ArgumentNullException.ThrowIfNull(configure);
        return hostBuilder.ConfigureServices((context, services) => services.AddActorsSilo(context.Configuration, configure));
    }

    /// <summary>Adds a silo to the host and configures it (grains, storage, gateway).</summary>
    public static IHostApplicationBuilder UseActors(this IHostApplicationBuilder builder, Action<ISiloBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.AddActorsSilo(builder.Configuration, configure);
        return builder;
    }

    /// <summary>
    /// Registers the silo: the runtime (<see cref="SiloRuntimeServiceCollectionExtensions.AddActorsRuntime"/>:
    /// <see cref="SiloOptions"/>, the runtime singletons, the hosted service that starts the runtime and deactivates
    /// every grain on stop), a host shutdown timeout that covers the silo's grace period, the <c>grains</c> health check
    /// (the stuck-grain detector; Degraded while a call is stuck), then
    /// <paramref name="configure"/> (grains, storage, gateway).
    /// </summary>
    public static IServiceCollection AddActorsSilo(this IServiceCollection services, IConfiguration configuration, Action<ISiloBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(configure);
        bool first = !services.Any(d => d.ServiceType == typeof(ISiloControl));
        ISiloBuilder silo = services.AddActorsRuntime(configuration);
        if (first)
        {
            services.AddOptions<HostOptions>().Configure<IOptions<SiloOptions>>(ExtendShutdownTimeout);
            services.AddHealthChecks().AddCheck<StuckGrainsHealthCheck>("grains");
        }

        configure(silo);
        return services;
    }

    /// <summary>Lets the host wait at least the silo's grace period (plus a margin) when it stops.</summary>
    private static void ExtendShutdownTimeout(HostOptions host, IOptions<SiloOptions> silo)
    {
        SiloOptions options;
        try
        {
            options = silo.Value;
        }
        catch (OptionsValidationException)
        {
            // Invalid silo options: ValidateOnStart reports them when the host starts; keep the host's timeout.
            return;
        }

        TimeSpan needed = options.ShutdownGracePeriod + TimeSpan.FromSeconds(5);
        if (host.ShutdownTimeout < needed)
        {
            host.ShutdownTimeout = needed;
        }
    }
}
