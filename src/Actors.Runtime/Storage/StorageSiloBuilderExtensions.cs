using Actors.Journaling;
using Actors.Serialization;
using Actors.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Actors.Hosting;

/// <summary>Registers the volatile (in-memory) storage providers.</summary>
public static class StorageSiloBuilderExtensions
{
    /// <summary>Adds a <see cref="MemoryGrainStorage"/> named <paramref name="name"/> (default <see cref="StorageNames.Default"/>).</summary>
    public static ISiloBuilder AddMemoryGrainStorage(this ISiloBuilder builder, string name = StorageNames.Default)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(name);
        builder.Services.AddKeyedSingleton<IGrainStorage>(name, (sp, _) => new MemoryGrainStorage(sp.GetRequiredService<IGrainSerializer>()));
        return builder;
    }

    /// <summary>
    /// Adds an in-memory journal store named <paramref name="name"/>: journaled grains that opt into it keep their
    /// events across deactivations (until the silo stops), unlike grains without a store attribute.
    /// </summary>
    public static ISiloBuilder AddMemoryJournalStorage(this ISiloBuilder builder, string name = StorageNames.Default)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(name);
        builder.Services.AddKeyedSingleton<IJournalAdaptorFactory>(name, (_, _) => new MemoryJournalAdaptorFactory());
        return builder;
    }
}
