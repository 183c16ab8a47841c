using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Actors.Serialization;

/// <summary>Registers the serializer in a service collection.</summary>
public static class SerializerServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="CodecProvider"/> (also as <see cref="ICodecProvider"/>), <see cref="Serializer"/> and
    /// <see cref="DeepCopier"/> as singletons. Each call adds <paramref name="configure"/> to the configuration; an
    /// <see cref="IGrainReferenceResolver"/> or <see cref="ICancellationTokenBridge"/> registered in the container is
    /// used unless the configuration sets one.
    /// </summary>
    public static IServiceCollection AddSerializer(this IServiceCollection services, Action<SerializerBuilder>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (configure is not null)
        {
            services.AddSingleton(new SerializerConfiguration(configure));
        }

        services.TryAddSingleton(sp =>
        {
            var builder = new SerializerBuilder();
            if (sp.GetService<IGrainReferenceResolver>() is { } resolver)
            {
                builder.UseGrainReferenceResolver(resolver);
            }

            if (sp.GetService<ICancellationTokenBridge>() is { } bridge)
            {
                builder.UseCancellationTokenBridge(bridge);
            }

            foreach (SerializerConfiguration configuration in sp.GetServices<SerializerConfiguration>())
            {
                configuration.Configure(builder);
            }

            return builder.Build();
        });
        services.TryAddSingleton<ICodecProvider>(sp => sp.GetRequiredService<CodecProvider>());
        services.TryAddSingleton(sp => new Serializer(sp.GetRequiredService<CodecProvider>()));
        services.TryAddSingleton(sp => new DeepCopier(sp.GetRequiredService<CodecProvider>()));
        return services;
    }

    private sealed class SerializerConfiguration(Action<SerializerBuilder> configure)
    {
        public Action<SerializerBuilder> Configure { get; } = configure;
    }
}
