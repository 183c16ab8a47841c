using Actors.Orleans.EventSourcing;
using Actors.Orleans.Log;
using Actors.Orleans.Placement;
using Actors.Orleans.Storage;
using Actors.Wal.IO;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.EventSourcing;
using Orleans.Providers;
using Orleans.Runtime;
using Orleans.Runtime.Hosting;
using Orleans.Serialization;
using Orleans.Storage;

namespace Actors.Orleans.Hosting;

/// <summary>
/// The registrations behind the <c>AddWriteAheadLog...</c> silo builder extensions. Each is idempotent: the silo's one
/// log is registered once whichever extension comes first, and a provider name is registered once.
/// </summary>
internal static class WriteAheadLogServiceCollectionExtensions
{
    /// <summary>The silo's one log, its lifecycle and its options' validation at start.</summary>
    public static IServiceCollection AddSiloLog(this IServiceCollection services)
    {
        if (services.Any(d => d.ServiceType == typeof(SiloLog)))
        {
            return services;
        }

        services.AddOptions<SiloLogOptions>().ValidateOnStart();

        // The providers' and the engine's errors cross grain calls through Orleans's exception codec, which every client
        // can read (ProviderExceptionTypes): only those types are added, any filter set before is kept.
        services.Configure<ExceptionSerializationOptions>(o =>
        {
            Func<Type, bool> before = o.SupportedExceptionTypeFilter;
            o.SupportedExceptionTypeFilter = type => ProviderExceptionTypes.IsProviderType(type) || before(type);
        });
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ITypeConverter, ProviderExceptionTypeConverter>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SiloLogOptions>, SiloLogOptionsValidator>());
        services.AddSingleton<StreamRetentionRegistry>();
        services.AddSingleton(sp =>
        {
            var log = new SiloLog(
                sp.GetRequiredService<IOptions<SiloLogOptions>>(),
                sp.GetRequiredService<StreamRetentionRegistry>(),
                sp.GetRequiredService<ILoggerFactory>(),
                sp.GetService<TimeProvider>(),
                sp.GetService<IFileSystem>());

            // Without replication (AddWriteAheadLogReplication registers the leader locator) the silo's log refuses while
            // several silos are active.
            if (sp.GetService<IGrainLeaderLocator>() is null)
            {
                log.GuardSingleSilo(sp.GetRequiredService<IClusterMembershipService>());
            }

            return log;
        });

        // Where grains' streams live: the silo's one log, unless replication registered its partitioned resolver.
        services.TryAddSingleton<IGrainLogResolver>(sp => new SiloGrainLogResolver(sp.GetRequiredService<SiloLog>()));
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<SiloLog>());
        return services;
    }

    /// <summary>A write-ahead-log grain storage provider named <paramref name="name"/> (once per name), through Orleans's <c>AddGrainStorage</c>.</summary>
    public static IServiceCollection AddWalGrainStorage(this IServiceCollection services, string name, Action<OptionsBuilder<WriteAheadLogGrainStorageOptions>>? configure)
    {
        services.AddSiloLog();
        configure?.Invoke(services.AddOptions<WriteAheadLogGrainStorageOptions>(name));
        if (!TryMarkProvider(services, typeof(WriteAheadLogGrainStorage), name))
        {
            return services;
        }

        services.AddOptions<WriteAheadLogGrainStorageOptions>(name).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<WriteAheadLogGrainStorageOptions>, WalProviderOptionsValidator>());
        services.AddSingleton<IStreamRetentionSource>(new StateRetentionSource(name));
        services.AddGrainStorage(name, (sp, key) => new WriteAheadLogGrainStorage(
            key,
            sp.GetRequiredService<IOptionsMonitor<WriteAheadLogGrainStorageOptions>>().Get(key),
            sp.GetRequiredService<SiloLog>(),
            sp,
            sp.GetRequiredService<ILogger<WriteAheadLogGrainStorage>>()));
        return services;
    }

    /// <summary>A write-ahead-log log-consistency provider named <paramref name="name"/> (once per name).</summary>
    public static IServiceCollection AddWalLogConsistency(this IServiceCollection services, string name, Action<OptionsBuilder<WriteAheadLogLogConsistencyOptions>>? configure)
    {
        services.AddSiloLog();
        configure?.Invoke(services.AddOptions<WriteAheadLogLogConsistencyOptions>(name));

        if (!TryMarkProvider(services, typeof(WriteAheadLogLogConsistencyProvider), name))
        {
            return services;
        }

        services.AddOptions<WriteAheadLogLogConsistencyOptions>(name).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<WriteAheadLogLogConsistencyOptions>, WalProviderOptionsValidator>());
        services.TryAddSingleton<Factory<IGrainContext, ILogConsistencyProtocolServices>>(sp =>
            grain => new GrainProtocolServices(grain, sp.GetRequiredService<DeepCopier>(), sp.GetRequiredService<ILocalSiloDetails>(), sp.GetRequiredService<ILogger<GrainProtocolServices>>()));
        services.AddSingleton<IStreamRetentionSource>(sp => new JournalRetentionSource(
            name, sp.GetRequiredService<IOptionsMonitor<WriteAheadLogLogConsistencyOptions>>().Get(name).EventHistory, sp));
        services.AddKeyedSingleton<ILogViewAdaptorFactory>(name, (sp, _) => new WriteAheadLogLogConsistencyProvider(
            name,
            sp.GetRequiredService<IOptionsMonitor<WriteAheadLogLogConsistencyOptions>>().Get(name),
            sp.GetRequiredService<SiloLog>(),
            sp));
        if (name == ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME)
        {
            services.TryAddSingleton(sp => sp.GetRequiredKeyedService<ILogViewAdaptorFactory>(ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME));
        }

        return services;
    }

    /// <summary>
    /// Makes <see cref="WriteAheadLogAttribute"/> route a class to the providers named <see cref="WriteAheadLogAttribute.ProviderName"/>:
    /// replaces the unkeyed grain storage and log-consistency registrations with routers that send every other class to
    /// what those registrations gave before (once).
    /// </summary>
    public static IServiceCollection AddWriteAheadLogAttributeRouting(this IServiceCollection services)
    {
        if (services.Any(d => d.ServiceType == typeof(GrainClassAttributes)))
        {
            return services;
        }

        services.AddSingleton<GrainClassAttributes>();
        ServiceDescriptor? storage = TakeUnkeyed<IGrainStorage>(services);
        services.AddSingleton<IGrainStorage>(sp => new AttributeRoutedGrainStorage(
            sp, sp.GetRequiredService<GrainClassAttributes>(), new DefaultProviderFallback<IGrainStorage>(storage, sp)));
        ServiceDescriptor? consistency = TakeUnkeyed<ILogViewAdaptorFactory>(services);
        services.AddSingleton<ILogViewAdaptorFactory>(sp => new AttributeRoutedLogConsistency(
            sp, new DefaultProviderFallback<ILogViewAdaptorFactory>(consistency, sp)));
        return services;
    }

    private static ServiceDescriptor? TakeUnkeyed<TService>(IServiceCollection services)
    {
        ServiceDescriptor? last = null;
        for (int i = services.Count - 1; i >= 0; i--)
        {
            if (services[i].ServiceType == typeof(TService) && !services[i].IsKeyedService)
            {
                last ??= services[i];
                services.RemoveAt(i);
            }
        }

        return last;
    }

    /// <summary>True the first time a provider of <paramref name="kind"/> is named <paramref name="name"/>.</summary>
    private static bool TryMarkProvider(IServiceCollection services, Type kind, string name)
    {
        var marker = new ProviderMarker(kind, name);
        if (services.Any(d => d.ServiceType == typeof(ProviderMarker) && Equals(d.ImplementationInstance, marker)))
        {
            return false;
        }

        services.AddSingleton(marker);
        return true;
    }

    private sealed record ProviderMarker(Type Kind, string Name);
}
