using Actors.Orleans;
using Actors.Orleans.Hosting;
using Actors.Orleans.Placement;
using Microsoft.Extensions.DependencyInjection;
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
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.AddSiloLog();
        builder.Services.Configure(configure);
        builder.Services.AddWalGrainStorage(WriteAheadLogAttribute.ProviderName, null);
        builder.Services.AddWalLogConsistency(WriteAheadLogAttribute.ProviderName, null);
        builder.Services.AddWriteAheadLogAttributeRouting();
        builder.Services.AddPlacementDirector<WriteAheadLogPlacement, WriteAheadLogPlacementDirector>();
        return builder;
    }

    /// <summary>Adds a grain storage provider named <paramref name="name"/> on the silo's write-ahead log (<c>[StorageProvider]</c>, <c>[PersistentState(state, name)]</c>).</summary>
    /// <param name="builder">The silo builder (it also needs <see cref="AddWriteAheadLog"/>).</param>
    /// <param name="name">The provider's name.</param>
    /// <param name="configure">The provider's settings (codec, checkpoint interval).</param>
    public static ISiloBuilder AddWriteAheadLogGrainStorage(this ISiloBuilder builder, string name, Action<WriteAheadLogGrainStorageOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(name);
        builder.Services.AddWalGrainStorage(name, configure);
        return builder;
    }

    /// <summary>Makes the silo's default grain storage ("Default") a write-ahead-log provider: every grain naming no storage provider keeps its state on the log.</summary>
    public static ISiloBuilder AddWriteAheadLogGrainStorageAsDefault(this ISiloBuilder builder, Action<WriteAheadLogGrainStorageOptions>? configure = null) =>
        builder.AddWriteAheadLogGrainStorage(ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME, configure);

    /// <summary>Adds a log-consistency provider named <paramref name="name"/> for <c>JournaledGrain</c> on the silo's write-ahead log (<c>[LogConsistencyProvider(ProviderName = name)]</c>).</summary>
    /// <param name="builder">The silo builder (it also needs <see cref="AddWriteAheadLog"/>).</param>
    /// <param name="name">The provider's name.</param>
    /// <param name="configure">The provider's settings (codec, checkpoints, history).</param>
    public static ISiloBuilder AddWriteAheadLogLogConsistencyProvider(this ISiloBuilder builder, string name, Action<WriteAheadLogLogConsistencyOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(name);
        builder.Services.AddWalLogConsistency(name, configure);
        return builder;
    }

    /// <summary>Makes the silo's default log-consistency provider ("Default") a write-ahead-log provider: every journaled grain naming none keeps its events on the log.</summary>
    public static ISiloBuilder AddWriteAheadLogLogConsistencyProviderAsDefault(this ISiloBuilder builder, Action<WriteAheadLogLogConsistencyOptions>? configure = null) =>
        builder.AddWriteAheadLogLogConsistencyProvider(ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME, configure);
}
