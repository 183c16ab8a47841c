using Actors.Reminders;
using Actors.Runtime;
using Actors.Timers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Actors.Hosting;

/// <summary>Adds the reminder service to a silo with a reminder table.</summary>
public static class ReminderSiloBuilderExtensions
{
    /// <summary>
    /// Adds the reminder service with a volatile in-memory table (Orleans' <c>UseInMemoryReminderService</c>): for
    /// development and tests only, as reminders are lost when the silo stops. For durable reminders use the
    /// write-ahead log's <c>UseWriteAheadLogReminderService</c>.
    /// </summary>
    public static ISiloBuilder UseInMemoryReminderService(this ISiloBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.UseReminderTable(sp => new InMemoryReminderTable(sp.GetRequiredService<IReminderPartitioner>()));
    }

    /// <summary>
    /// Adds the reminder service over the <see cref="IReminderTable"/> that <paramref name="tableFactory"/> creates:
    /// <see cref="ReminderOptions"/> (section <see cref="ReminderOptions.SectionName"/>, validated at start), the default
    /// <see cref="IReminderPartitioner"/> unless one is registered, <see cref="IReminderRegistry"/> for grains, and the
    /// service that loads the rows at silo start and delivers ticks. Registering a second table replaces the first.
    /// </summary>
    public static ISiloBuilder UseReminderTable(this ISiloBuilder builder, Func<IServiceProvider, IReminderTable> tableFactory)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(tableFactory);
        IServiceCollection services = builder.Services;
        services.Replace(ServiceDescriptor.Singleton(tableFactory));
        if (services.Any(d => d.ServiceType == typeof(ReminderService)))
        {
            return builder;
        }

        services.AddOptions<ReminderOptions>().Bind(builder.Configuration.GetSection(ReminderOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ReminderOptions>, ReminderOptionsValidator>());
        services.TryAddSingleton<IReminderPartitioner>(sp => new HashReminderPartitioner(sp.GetRequiredService<IOptions<ReminderOptions>>().Value.PartitionCount));
        services.AddSingleton<ReminderService>();
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<ReminderService>());
        services.AddSingleton<ISiloAbruptStopParticipant>(sp => sp.GetRequiredService<ReminderService>());
        services.AddSingleton<IReminderRegistry, ReminderRegistry>();
        return builder;
    }
}
