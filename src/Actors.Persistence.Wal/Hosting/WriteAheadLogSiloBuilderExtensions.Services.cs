using Actors.Hosting;
using Actors.Journaling;
using Actors.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Actors.Persistence.Wal.Hosting;

/// <content>The services every store shares, and the per-store runtime adapters.</content>
public static partial class WriteAheadLogSiloBuilderExtensions
{
    private static partial void AddCommonServices(IServiceCollection services, string name)
    {
        services.TryAddSingleton<IEventLogFactory>(sp => new FileEventLogFactory(sp.GetService<TimeProvider>()));
        if (!services.Any(d => d.ServiceType == typeof(WriteAheadLogLifecycle)))
        {
            services.AddSingleton<WriteAheadLogLifecycle>();
            services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<WriteAheadLogLifecycle>());
            services.AddSingleton<ISiloAbruptStopParticipant>(sp => sp.GetRequiredService<WriteAheadLogLifecycle>());
        }

        if (services.Any(d => d.ServiceType == typeof(WriteAheadLogStoreRegistration) && ((WriteAheadLogStoreRegistration?)d.ImplementationInstance)?.Name == name))
        {
            return;
        }

        services.AddSingleton(new WriteAheadLogStoreRegistration(name));
        services.TryAddKeyedSingleton(name, (sp, _) => new GrainStateStore(
            sp.GetRequiredKeyedService<WriteAheadLogStore>(name),
            sp.GetService<ILoggerFactory>()?.CreateLogger<GrainStateStore>()));
        services.TryAddKeyedSingleton<IGrainStorage>(name, (sp, _) => new WriteAheadLogGrainStorage(sp.GetRequiredKeyedService<GrainStateStore>(name)));
        services.TryAddKeyedSingleton<IJournalAdaptorFactory>(name, (sp, _) => new WriteAheadLogJournalAdaptorFactory(
            sp.GetRequiredKeyedService<WriteAheadLogStore>(name),
            sp.GetService<ILoggerFactory>()));
    }
}
