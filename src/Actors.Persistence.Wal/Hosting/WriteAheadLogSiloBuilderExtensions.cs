using Actors.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Actors.Persistence.Wal.Hosting;

/// <summary>Adds write-ahead-log grain stores to a silo.</summary>
public static partial class WriteAheadLogSiloBuilderExtensions
{
    /// <summary>
    /// Adds the write-ahead-log store <paramref name="name"/>. Its options are bound from configuration section
    /// <c>Actors:Storage:{name}</c> (if present), then adjusted by <paramref name="configure"/>, and validated at
    /// silo start.
    /// </summary>
    /// <param name="builder">The silo builder.</param>
    /// <param name="name">The store name grains refer to in <c>[WriteAheadLog(StoreName = ...)]</c>.</param>
    /// <param name="configure">Adjusts the options after configuration binding.</param>
    public static ISiloBuilder AddWriteAheadLog(this ISiloBuilder builder, string name, Action<WriteAheadLogStoreOptions>? configure = null) =>
        builder.AddWriteAheadLog(name, (OptionsBuilder<WriteAheadLogStoreOptions> options) =>
        {
            if (configure is not null)
            {
                options.Configure(configure);
            }
        });

    /// <summary>
    /// Adds the write-ahead-log store <paramref name="name"/>, configured through an <see cref="OptionsBuilder{TOptions}"/>
    /// (for example to bind another configuration section or add validation).
    /// </summary>
    public static ISiloBuilder AddWriteAheadLog(this ISiloBuilder builder, string name, Action<OptionsBuilder<WriteAheadLogStoreOptions>> configureOptions)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(configureOptions);
        IServiceCollection services = builder.Services;
        IConfigurationSection section = builder.Configuration.GetSection($"{WriteAheadLogStoreConfiguration.SectionPath}:{name}");

        OptionsBuilder<WriteAheadLogStoreOptions> options = services.AddOptions<WriteAheadLogStoreOptions>(name);
        if (section.Exists())
        {
            options.Configure(o => WriteAheadLogStoreConfiguration.Bind(section, o, name));
        }

        configureOptions(options);
        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<WriteAheadLogStoreOptions>, WriteAheadLogStoreOptionsValidator>());

        services.TryAddKeyedSingleton(name, (sp, _) => new WriteAheadLogStore(
            name,
            sp.GetRequiredService<IOptionsMonitor<WriteAheadLogStoreOptions>>().Get(name),
            sp.GetRequiredService<IEventLogFactory>(),
            sp.GetService<ILoggerFactory>(),
            sp.GetService<Actors.Serialization.Serializer>())
        {
            ClassHistory = sp.GetService<IGrainClassCatalog>() is { } catalog ? GrainClassHistory.Create(name, catalog.GrainClasses) : GrainClassHistory.Empty,
        });
        AddCommonServices(services, name);
        return builder;
    }

    /// <summary>
    /// Adds the default write-ahead-log store (named <see cref="WriteAheadLogStore.DefaultStoreName"/>), used by
    /// grains whose <see cref="WriteAheadLogAttribute"/> names no store.
    /// </summary>
    public static ISiloBuilder AddWriteAheadLogAsDefault(this ISiloBuilder builder, Action<WriteAheadLogStoreOptions>? configure = null) =>
        builder.AddWriteAheadLog(WriteAheadLogStore.DefaultStoreName, configure);

    /// <summary>Adds the default write-ahead-log store, configured through an <see cref="OptionsBuilder{TOptions}"/>.</summary>
    public static ISiloBuilder AddWriteAheadLogAsDefault(this ISiloBuilder builder, Action<OptionsBuilder<WriteAheadLogStoreOptions>> configureOptions) =>
        builder.AddWriteAheadLog(WriteAheadLogStore.DefaultStoreName, configureOptions);

    private static partial void AddCommonServices(IServiceCollection services, string name);
}
