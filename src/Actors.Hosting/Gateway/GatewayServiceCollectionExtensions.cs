using Actors.Serialization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Actors.Hosting.Gateway;

/// <summary>Enables the client gateway on a silo.</summary>
public static class GatewayServiceCollectionExtensions
{
    /// <summary>
    /// Adds the client gateway to the silo, configured by <paramref name="configure"/>. Options are validated at
    /// startup. Registers the gateway's health check (named <c>gateway</c>) and <see cref="IGatewayInfo"/>.
    /// </summary>
    /// <remarks>
    /// The gateway needs the silo's <see cref="Actors.Invocation.GrainMethodRegistry"/> and
    /// <see cref="Actors.Invocation.IGrainCallInvoker"/> singletons, which the runtime registers, and the binary
    /// <see cref="Actors.Serialization.Serializer"/> (registered here unless present). Calling this more than once only
    /// adds configuration.
    /// </remarks>
    public static ISiloBuilder AddGateway(this ISiloBuilder silo, Action<GatewayOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(silo);
        silo.Services.AddActorsGateway(configure);
        return silo;
    }

    /// <summary>Adds the client gateway, binding <see cref="GatewayOptions"/> from <paramref name="section"/> (for example <c>Actors:Gateway</c>) and then applying <paramref name="configure"/>.</summary>
    public static ISiloBuilder AddGateway(this ISiloBuilder silo, IConfiguration section, Action<GatewayOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentNullException.ThrowIfNull(section);
        silo.Services.AddOptions<GatewayOptions>().Bind(section);
        silo.Services.AddActorsGateway(configure);
        return silo;
    }

    /// <summary>Adds the client gateway to a service collection (the silo's). See <see cref="AddGateway(ISiloBuilder, Action{GatewayOptions}?)"/>.</summary>
    public static IServiceCollection AddActorsGateway(this IServiceCollection services, Action<GatewayOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        OptionsBuilder<GatewayOptions> options = services.AddOptions<GatewayOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        if (services.Any(d => d.ServiceType == typeof(GatewayListener)))
        {
            return services;
        }

        options.ValidateOnStart();
        services.AddGrainCallSerializer();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<GatewayOptions>, GatewayOptionsValidator>());
        services.AddSingleton<ClientConnections>();
        services.AddSingleton<IClientObserverTransport>(sp => sp.GetRequiredService<ClientConnections>());
        services.AddSingleton<GatewayRequestDispatcher>();
        services.AddSingleton<GatewayListener>();
        services.AddSingleton<IGatewayInfo>(sp => sp.GetRequiredService<GatewayListener>());
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<GatewayListener>());
        services.AddHealthChecks().AddCheck<GatewayHealthCheck>("gateway", tags: ["ready"]);
        return services;
    }
}
