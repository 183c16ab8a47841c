using Actors.Runtime;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Actors.Hosting;

/// <summary>Registers the silo runtime in a service collection; the host project's <c>UseActors</c> builds on it.</summary>
public static class SiloRuntimeServiceCollectionExtensions
{
    /// <summary>
    /// Registers the silo runtime: <see cref="SiloOptions"/> (bound from <see cref="SiloOptions.SectionName"/> of
    /// <paramref name="configuration"/>, validated on start), the runtime singletons (<see cref="Invocation.GrainMethodRegistry"/>,
    /// the local <see cref="Invocation.IGrainCallInvoker"/>, <see cref="IGrainFactory"/>,
    /// <see cref="Serialization.IGrainSerializer"/> unless one is registered, <see cref="TimeProvider"/> unless one is
    /// registered, <see cref="ISiloControl"/>, <see cref="IStuckGrainMonitor"/>), and the hosted service that starts the runtime with the host and
    /// deactivates every grain when it stops. Registering twice adds nothing.
    /// </summary>
    /// <returns>A builder for grains, storage and other silo features over the same services.</returns>
    public static ISiloBuilder AddActorsRuntime(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        if (!services.Any(d => d.ServiceType == typeof(GrainRuntime)))
        {
            services.AddOptions<SiloOptions>().Bind(configuration.GetSection(SiloOptions.SectionName)).ValidateOnStart();
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SiloOptions>, SiloOptionsValidator>());
            services.AddSingleton(sp =>
            {
                SiloOptions options = sp.GetRequiredService<IOptions<SiloOptions>>().Value;
                return new RuntimeSettings
                {
                    SiloName = options.SiloName,
                    ResponseTimeout = options.ResponseTimeout,
                    CollectionAge = options.CollectionAge,
                    CollectionQuantum = options.CollectionQuantum,
                    ShutdownGracePeriod = options.ShutdownGracePeriod,
                    StuckCallThreshold = options.StuckCallThreshold,
                    ReleaseMemoryAfterCollection = options.ReleaseMemoryAfterCollection,
                };
            });
            services.AddGrainRuntime();
            services.AddHostedService<SiloHostedService>();
        }

        return new SiloBuilder(services, configuration);
    }
}
