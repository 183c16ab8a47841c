using Actors.Invocation;
using Actors.Runtime;
using Actors.Serialization;
using Actors.Timers;
using Actors.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Actors.Hosting;

/// <summary>Registers the grain runtime's services (called by the host's <c>UseActors</c>).</summary>
internal static class GrainRuntimeServiceCollectionExtensions
{
    /// <summary>
    /// Registers the runtime singletons: <see cref="GrainMethodRegistry"/> (filled with every registered grain class's
    /// interfaces and every grain extension interface), the local <see cref="IGrainCallInvoker"/>, <see cref="IGrainFactory"/> (whose object references are
    /// kept in the silo's <see cref="ObserverRegistry"/>), the binary <see cref="Serializer"/> that calls cross processes
    /// with (<see cref="GrainCallSerializers.AddGrainCallSerializer"/>), <see cref="IGrainSerializer"/> (JSON unless one is
    /// registered; stored state and events) and <see cref="TimeProvider"/> (system unless one is registered).
    /// </summary>
    public static IServiceCollection AddGrainRuntime(this IServiceCollection services)
    {
        if (services.Any(d => d.ServiceType == typeof(GrainRuntime)))
        {
            return services;
        }

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IGrainSerializer, JsonGrainSerializer>();
        services.AddGrainCallSerializer();
        services.TryAddSingleton<RuntimeSettings>();
        services.TryAddSingleton<IPersistentStateFactory, PersistentStateFactory>();
        services.AddSingleton(sp => new GrainTypeRegistry(sp.GetServices<GrainClassRegistration>()));
        services.AddSingleton<IGrainClassCatalog>(sp => sp.GetRequiredService<GrainTypeRegistry>());
        services.AddSingleton(sp =>
        {
            var registry = new GrainMethodRegistry();
            GrainTypeRegistry types = sp.GetRequiredService<GrainTypeRegistry>();
            foreach (Type grainClass in types.Classes.Select(c => c.GrainClass).Concat(types.GenericClasses))
            {
                registry.RegisterGrainClass(grainClass);
            }

            // Extension interfaces too: a call to an extension of a grain active on another silo is forwarded by method key.
            foreach (GrainExtensionRegistration extension in sp.GetServices<GrainExtensionRegistration>())
            {
                registry.RegisterInterface(extension.InterfaceType);
            }

            return registry;
        });
        services.AddSingleton(_ => new ObserverRegistry("silo-" + Guid.NewGuid().ToString("N")));
        services.AddSingleton<IObjectReferenceRegistry>(sp => sp.GetRequiredService<ObserverRegistry>());
        services.AddSingleton<RuntimeInstruments>();
        services.AddSingleton<GrainRuntime>();
        services.AddSingleton<ISiloControl>(sp => sp.GetRequiredService<GrainRuntime>());
        services.AddSingleton<IStuckGrainMonitor>(sp => sp.GetRequiredService<GrainRuntime>().OutstandingCalls);
        services.AddSingleton<ISiloActivations>(sp => sp.GetRequiredService<GrainRuntime>());
        services.TryAddSingleton<ITimerRegistry, TimerRegistry>();
        services.TryAddSingleton<IGrainExtensionBinder, GrainExtensionBinder>();
        services.AddSingleton<LocalGrainCallInvoker>();
        services.AddSingleton<IGrainCallInvoker>(sp => sp.GetRequiredService<LocalGrainCallInvoker>());
        services.AddSingleton<IGrainFactory>(sp =>
        {
            GrainTypeRegistry types = sp.GetRequiredService<GrainTypeRegistry>();
            return new GrainReferenceFactory(sp.GetRequiredService<IGrainCallInvoker>(), types.ResolveInterface, types.ResolvePrefix, sp.GetRequiredService<ObserverRegistry>());
        });
        return services;
    }
}
