using Actors.Invocation;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Actors.Serialization;

/// <summary>
/// Sets up the <see cref="Serializer"/> that grain calls cross processes with: grain references rebuilt by the side's
/// reference factory (<see cref="GrainReferenceResolver"/>) and cancellation carried by the transport
/// (<see cref="CallCancellationBridge"/>). The silo and the client both use it.
/// </summary>
public static class GrainCallSerializers
{
    /// <summary>
    /// Registers the serializer (<see cref="SerializerServiceCollectionExtensions.AddSerializer"/>) with the grain reference
    /// resolver over the container's <see cref="IGrainFactory"/> (which must implement <see cref="IGrainReferenceFactory"/>,
    /// as the runtime's and the client's do) and the cancellation bridge.
    /// </summary>
    public static IServiceCollection AddGrainCallSerializer(this IServiceCollection services, Action<SerializerBuilder>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton<IGrainReferenceResolver>(sp => new GrainReferenceResolver(ReferencesOf(sp)));
        services.TryAddSingleton<ICancellationTokenBridge>(CallCancellationBridge.Instance);
        return services.AddSerializer(configure);
    }

    /// <summary>Builds the serializer outside a container; <paramref name="references"/> is called on the first reference read.</summary>
    public static Serializer Create(Func<IGrainReferenceFactory> references, Action<SerializerBuilder>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(references);
        var builder = new SerializerBuilder()
            .UseGrainReferenceResolver(new GrainReferenceResolver((type, id) => Create(references(), type, id)))
            .UseCancellationTokenBridge(CallCancellationBridge.Instance);
        configure?.Invoke(builder);
        return new Serializer(builder.Build());
    }

    private static Func<Type, GrainId, object> ReferencesOf(IServiceProvider services) => (type, id) =>
        services.GetRequiredService<IGrainFactory>() is IGrainReferenceFactory factory
            ? Create(factory, type, id)
            : throw new SerializerException("The registered IGrainFactory cannot build grain references by grain id, so a grain reference cannot be read here.");

    private static object Create(IGrainReferenceFactory factory, Type type, GrainId id) => typeof(IGrainObserver).IsAssignableFrom(type)
        ? factory.GetObserver(type, id)
        : factory.GetGrain(type, id);
}
