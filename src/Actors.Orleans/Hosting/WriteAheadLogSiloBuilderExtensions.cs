using Actors.Orleans;
using Actors.Orleans.Hosting;
using Actors.Orleans.Placement;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Providers;

namespace Orleans.Hosting;

/// <summary>Puts an Orleans silo's grain state and journaled grains' events on the silo's write-ahead log.</summary>
public static class WriteAheadLogSiloBuilderExtensions
{
    /// <summary>
    /// Adds the silo's write-ahead log (one per silo, shared by every write-ahead-log provider, one group commit) and makes
    /// <see cref="WriteAheadLogAttribute"/> on a grain class put its state and events on it (through providers named
    /// <see cref="WriteAheadLogAttribute.ProviderName"/>; other grains keep the silo's default providers).
    /// </summary>
    /// <remarks>
    /// The log opens at <c>ServiceLifecycleStage.RuntimeStorageServices</c>, before any grain activates, and closes after the
    /// grains deactivated. Options are validated at start: a bad value stops the silo with a message naming the setting.
    /// </remarks>
    /// <param name="builder">The silo builder.</param>
    /// <param name="configure">Sets <see cref="SiloLogOptions.Directory"/> (required) and the log's other settings.</param>
    public static ISiloBuilder AddWriteAheadLog(this ISiloBuilder builder, Action<SiloLogOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return builder.AddWriteAheadLog(ob => ob.Configure(configure));
    }

    /// <summary>
    /// Adds the silo's write-ahead log with its settings bound from <paramref name="configuration"/> (the section
    /// <c>WriteAheadLog</c> of appsettings when the providers are chosen by configuration: <c>Directory</c>,
    /// <c>SyncPolicy</c>, <c>SyncInterval</c>, <c>SegmentSizeBytes</c>, <c>MaxRecordSizeBytes</c>, <c>Compression</c>,
    /// <c>RetiredProviders</c>). See <see cref="AddWriteAheadLog(ISiloBuilder, Action{SiloLogOptions})"/>.
    /// </summary>
    /// <param name="builder">The silo builder.</param>
    /// <param name="configuration">The section holding the log's settings.</param>
    public static ISiloBuilder AddWriteAheadLog(this ISiloBuilder builder, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return builder.AddWriteAheadLog(ob => ob.Bind(configuration));
    }

    /// <summary>
    /// Adds the silo's write-ahead log, its options configured through <paramref name="configureOptions"/> (bind, validate,
    /// configure from services). See <see cref="AddWriteAheadLog(ISiloBuilder, Action{SiloLogOptions})"/>.
    /// </summary>
    /// <param name="builder">The silo builder.</param>
    /// <param name="configureOptions">Configures the log's <see cref="SiloLogOptions"/>.</param>
    public static ISiloBuilder AddWriteAheadLog(this ISiloBuilder builder, Action<OptionsBuilder<SiloLogOptions>> configureOptions)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configureOptions);
        builder.Services.AddSiloLog();
        configureOptions(builder.Services.AddOptions<SiloLogOptions>());
        if (builder.Services.Any(d => d.ServiceType == typeof(GrainClassAttributes)))
        {
            return builder; // added before (in code or by configuration): only the settings above are new
        }

        builder.Services.AddWalGrainStorage(WriteAheadLogAttribute.ProviderName, null);
        builder.Services.AddWalLogConsistency(WriteAheadLogAttribute.ProviderName, null);
        builder.Services.AddWriteAheadLogAttributeRouting();
        builder.Services.AddPlacementDirector<WriteAheadLogPlacement, WriteAheadLogPlacementDirector>();
        return builder;
    }

    /// <summary>Adds a grain storage provider named <paramref name="name"/> on the silo's write-ahead log (<c>[StorageProvider]</c>, <c>[PersistentState(state, name)]</c>).</summary>
    /// <param name="builder">The silo builder (it also needs <see cref="AddWriteAheadLog(ISiloBuilder, Action{SiloLogOptions})"/>).</param>
    /// <param name="name">The provider's name.</param>
    /// <param name="configure">The provider's settings (codec, checkpoint interval).</param>
    public static ISiloBuilder AddWriteAheadLogGrainStorage(this ISiloBuilder builder, string name, Action<WriteAheadLogGrainStorageOptions>? configure = null) =>
        builder.AddWriteAheadLogGrainStorage(name, configure is null ? null : (Action<OptionsBuilder<WriteAheadLogGrainStorageOptions>>)(ob => ob.Configure(configure)));

    /// <summary>Adds a grain storage provider named <paramref name="name"/> with its settings bound from <paramref name="configuration"/>.</summary>
    /// <param name="builder">The silo builder (it also needs <see cref="AddWriteAheadLog(ISiloBuilder, Action{SiloLogOptions})"/>).</param>
    /// <param name="name">The provider's name.</param>
    /// <param name="configuration">The section holding <see cref="WriteAheadLogGrainStorageOptions"/>.</param>
    public static ISiloBuilder AddWriteAheadLogGrainStorage(this ISiloBuilder builder, string name, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return builder.AddWriteAheadLogGrainStorage(name, ob => ob.Bind(configuration));
    }

    /// <summary>Adds a grain storage provider named <paramref name="name"/>, its options configured through <paramref name="configureOptions"/>.</summary>
    /// <param name="builder">The silo builder (it also needs <see cref="AddWriteAheadLog(ISiloBuilder, Action{SiloLogOptions})"/>).</param>
    /// <param name="name">The provider's name.</param>
    /// <param name="configureOptions">Configures the provider's named <see cref="WriteAheadLogGrainStorageOptions"/>; null for the defaults.</param>
    public static ISiloBuilder AddWriteAheadLogGrainStorage(this ISiloBuilder builder, string name, Action<OptionsBuilder<WriteAheadLogGrainStorageOptions>>? configureOptions)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(name);
        builder.Services.AddWalGrainStorage(name, configureOptions);
        return builder;
    }

    /// <summary>Makes the silo's default grain storage ("Default") a write-ahead-log provider: every grain naming no storage provider keeps its state on the log.</summary>
    public static ISiloBuilder AddWriteAheadLogGrainStorageAsDefault(this ISiloBuilder builder, Action<WriteAheadLogGrainStorageOptions>? configure = null) =>
        builder.AddWriteAheadLogGrainStorage(ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME, configure);

    /// <summary>Makes the silo's default grain storage ("Default") a write-ahead-log provider, its options configured through <paramref name="configureOptions"/>.</summary>
    public static ISiloBuilder AddWriteAheadLogGrainStorageAsDefault(this ISiloBuilder builder, Action<OptionsBuilder<WriteAheadLogGrainStorageOptions>>? configureOptions) =>
        builder.AddWriteAheadLogGrainStorage(ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME, configureOptions);

    /// <summary>Adds a log-consistency provider named <paramref name="name"/> for <c>JournaledGrain</c> on the silo's write-ahead log (<c>[LogConsistencyProvider(ProviderName = name)]</c>).</summary>
    /// <param name="builder">The silo builder (it also needs <see cref="AddWriteAheadLog(ISiloBuilder, Action{SiloLogOptions})"/>).</param>
    /// <param name="name">The provider's name.</param>
    /// <param name="configure">The provider's settings (codec, checkpoints, history).</param>
    public static ISiloBuilder AddWriteAheadLogLogConsistencyProvider(this ISiloBuilder builder, string name, Action<WriteAheadLogLogConsistencyOptions>? configure = null) =>
        builder.AddWriteAheadLogLogConsistencyProvider(name, configure is null ? null : (Action<OptionsBuilder<WriteAheadLogLogConsistencyOptions>>)(ob => ob.Configure(configure)));

    /// <summary>Adds a log-consistency provider named <paramref name="name"/> with its settings bound from <paramref name="configuration"/>.</summary>
    /// <param name="builder">The silo builder (it also needs <see cref="AddWriteAheadLog(ISiloBuilder, Action{SiloLogOptions})"/>).</param>
    /// <param name="name">The provider's name.</param>
    /// <param name="configuration">The section holding <see cref="WriteAheadLogLogConsistencyOptions"/>.</param>
    public static ISiloBuilder AddWriteAheadLogLogConsistencyProvider(this ISiloBuilder builder, string name, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return builder.AddWriteAheadLogLogConsistencyProvider(name, ob => ob.Bind(configuration));
    }

    /// <summary>Adds a log-consistency provider named <paramref name="name"/>, its options configured through <paramref name="configureOptions"/>.</summary>
    /// <param name="builder">The silo builder (it also needs <see cref="AddWriteAheadLog(ISiloBuilder, Action{SiloLogOptions})"/>).</param>
    /// <param name="name">The provider's name.</param>
    /// <param name="configureOptions">Configures the provider's named <see cref="WriteAheadLogLogConsistencyOptions"/>; null for the defaults.</param>
    public static ISiloBuilder AddWriteAheadLogLogConsistencyProvider(this ISiloBuilder builder, string name, Action<OptionsBuilder<WriteAheadLogLogConsistencyOptions>>? configureOptions)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(name);
        builder.Services.AddWalLogConsistency(name, configureOptions);
        return builder;
    }

    /// <summary>Makes the silo's default log-consistency provider ("Default") a write-ahead-log provider: every journaled grain naming none keeps its events on the log.</summary>
    public static ISiloBuilder AddWriteAheadLogLogConsistencyProviderAsDefault(this ISiloBuilder builder, Action<WriteAheadLogLogConsistencyOptions>? configure = null) =>
        builder.AddWriteAheadLogLogConsistencyProvider(ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME, configure);

    /// <summary>Makes the silo's default log-consistency provider ("Default") a write-ahead-log provider, its options configured through <paramref name="configureOptions"/>.</summary>
    public static ISiloBuilder AddWriteAheadLogLogConsistencyProviderAsDefault(this ISiloBuilder builder, Action<OptionsBuilder<WriteAheadLogLogConsistencyOptions>>? configureOptions) =>
        builder.AddWriteAheadLogLogConsistencyProvider(ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME, configureOptions);
}
