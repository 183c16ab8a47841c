using Actors.Serialization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Actors.Client;

/// <summary>Adds an Actors cluster client to a Generic Host.</summary>
public static class ClientHostingExtensions
{
    /// <summary>The configuration section the client options bind from.</summary>
    public const string ConfigurationSection = "Actors:Client";

    /// <summary>
    /// Adds an <see cref="IClusterClient"/> (also registered as <see cref="IGrainFactory"/>) bound from the
    /// <c>Actors:Client</c> configuration section, then <paramref name="configure"/>. The client connects when the host
    /// starts; options are validated at start.
    /// </summary>
    public static IHostApplicationBuilder UseActorsClient(this IHostApplicationBuilder builder, Action<ClientOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddActorsClient(builder.Configuration.GetSection(ConfigurationSection), configure);
        return builder;
    }

    /// <summary>The <see cref="IHostBuilder"/> form of <see cref="UseActorsClient(IHostApplicationBuilder, Action{ClientOptions}?)"/>.</summary>
    public static IHostBuilder UseActorsClient(this IHostBuilder builder, Action<ClientOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.ConfigureServices((context, services) =>
            services.AddActorsClient(context.Configuration.GetSection(ConfigurationSection), configure));
    }

    /// <summary>Adds the client services; <paramref name="section"/> (optional) is bound before <paramref name="configure"/> runs.</summary>
    public static IServiceCollection AddActorsClient(this IServiceCollection services, IConfiguration? section = null, Action<ClientOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        OptionsBuilder<ClientOptions> options = services.AddOptions<ClientOptions>();
        if (section is not null)
        {
            options.Bind(section);
        }

        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ClientOptions>, ClientOptionsValidator>());
        services.AddGrainCallSerializer();
        services.TryAddSingleton(sp => new GatewayCallInvoker(
            sp.GetRequiredService<IOptions<ClientOptions>>().Value,
            sp.GetRequiredService<Serializer>(),
            sp.GetRequiredService<ILogger<GatewayCallInvoker>>(),
            sp.GetServices<IOutgoingGrainCallFilter>()));
        services.TryAddSingleton<IClusterClient>(sp => new ClusterClient(sp.GetRequiredService<GatewayCallInvoker>()));
        services.TryAddSingleton<IGrainFactory>(sp => sp.GetRequiredService<IClusterClient>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, ClusterClientHostedService>());
        return services;
    }
}
