using Actors.Streams;
using Microsoft.Extensions.DependencyInjection;

namespace Actors;

/// <summary>Stream providers for grain code (Orleans' <c>this.GetStreamProvider("name")</c>).</summary>
public static class GrainStreamingExtensions
{
    /// <summary>The silo's stream provider <paramref name="name"/>.</summary>
    /// <exception cref="InvalidOperationException">No provider of that name is configured (the message says how to add one).</exception>
    public static IStreamProvider GetStreamProvider(this Grain grain, string name) => GetStreamProvider((IGrainBase)grain, name);

    /// <inheritdoc cref="GetStreamProvider(Grain, string)"/>
    public static IStreamProvider GetStreamProvider(this IGrainBase grain, string name)
    {
        ArgumentNullException.ThrowIfNull(grain);
        return grain.GrainContext.ActivationServices.GetStreamProvider(name);
    }

    /// <summary>The stream provider <paramref name="name"/> of a silo's services (for silo-side code that is not a grain: producers only).</summary>
    /// <exception cref="InvalidOperationException">No provider of that name is configured.</exception>
    public static IStreamProvider GetStreamProvider(this IServiceProvider services, string name)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrEmpty(name);
        return services.GetKeyedService<IStreamProvider>(name)
            ?? throw new InvalidOperationException(
                $"No stream provider named '{name}' is configured in this silo. Add one with silo.AddWriteAheadLogStreams(\"{name}\") (durable) or silo.AddMemoryStreams(\"{name}\") (volatile, for tests).");
    }
}
