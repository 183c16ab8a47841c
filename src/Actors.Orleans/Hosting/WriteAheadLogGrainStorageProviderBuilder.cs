using Actors.Orleans.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Hosting;
using Orleans.Providers;
using Orleans.Storage;

[assembly: RegisterProvider(WriteAheadLogGrainStorageProviderBuilder.ProviderType, "GrainStorage", "Silo", typeof(WriteAheadLogGrainStorageProviderBuilder))]

namespace Actors.Orleans.Hosting;

/// <summary>
/// Configuration-based setup, as Orleans's own providers have it: <c>Orleans:GrainStorage:&lt;name&gt;:ProviderType =
/// "WriteAheadLog"</c> adds the silo's write-ahead log (settings from the top-level section <see cref="LogSection"/>) and a
/// grain storage provider <c>&lt;name&gt;</c> whose settings bind from its own section.
/// </summary>
/// <remarks>
/// Orleans applies the <c>Orleans</c> section when the silo builder is created, so code that configures the silo later
/// (<c>AddWriteAheadLog(o => ...)</c>) adds to what configuration set. <c>SerializerKey</c> in the provider's section
/// names a keyed <see cref="IGrainStorageSerializer"/> registered by the application.
/// </remarks>
internal sealed class WriteAheadLogGrainStorageProviderBuilder : IProviderBuilder<ISiloBuilder>
{
    /// <summary>The <c>ProviderType</c> that chooses these providers.</summary>
    public const string ProviderType = "WriteAheadLog";

    /// <summary>The top-level configuration section of the silo's log.</summary>
    public const string LogSection = "WriteAheadLog";

    /// <summary>The provider setting naming a keyed <see cref="IGrainStorageSerializer"/>.</summary>
    public const string SerializerKey = "SerializerKey";

    public void Configure(ISiloBuilder builder, string? name, IConfigurationSection configurationSection)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configurationSection);
        builder.AddWriteAheadLog(builder.Configuration.GetSection(LogSection));
        builder.AddWriteAheadLogGrainStorage(name ?? ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME, (OptionsBuilder<WriteAheadLogGrainStorageOptions> options) =>
        {
            options.Bind(configurationSection);
            if (configurationSection[SerializerKey] is { Length: > 0 } serializerKey)
            {
                options.Configure<IServiceProvider>((o, services) => o.GrainStorageSerializer = services.GetRequiredKeyedService<IGrainStorageSerializer>(serializerKey));
            }
        });
    }
}
