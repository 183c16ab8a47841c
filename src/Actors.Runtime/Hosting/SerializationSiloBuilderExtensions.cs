using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Actors.Serialization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Actors.Hosting;

/// <summary>Configures the silo's <see cref="IGrainSerializer"/>.</summary>
public static class SerializationSiloBuilderExtensions
{
    /// <summary>
    /// Uses <see cref="JsonGrainSerializer"/> with web defaults adjusted by <paramref name="configure"/>; for example
    /// <c>options =&gt; options.TypeInfoResolverChain.Insert(0, MyJsonContext.Default)</c> puts a source-generated
    /// context first (reflection stays the fallback). Replaces any serializer registered before.
    /// </summary>
    public static ISiloBuilder AddJsonGrainSerializer(this ISiloBuilder builder, Action<JsonSerializerOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        configure(options);
        if (options.TypeInfoResolverChain.Count > 0 && options.TypeInfoResolverChain[^1] is not DefaultJsonTypeInfoResolver)
        {
            options.TypeInfoResolverChain.Add(new DefaultJsonTypeInfoResolver());
        }

        builder.Services.Replace(ServiceDescriptor.Singleton<IGrainSerializer>(new JsonGrainSerializer(options)));
        return builder;
    }

    /// <summary>Uses a custom <see cref="IGrainSerializer"/>. Replaces any serializer registered before.</summary>
    public static ISiloBuilder AddGrainSerializer(this ISiloBuilder builder, IGrainSerializer serializer)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(serializer);
        builder.Services.Replace(ServiceDescriptor.Singleton(serializer));
        return builder;
    }
}
