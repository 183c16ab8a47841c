using System.Reflection;
using System.Runtime.CompilerServices;
using Actors.Invocation;
using Actors.Runtime;
using Microsoft.Extensions.DependencyInjection;

namespace Actors.Hosting;

/// <summary>Registers grain classes with a silo.</summary>
public static class SiloBuilderExtensions
{
    /// <summary>Registers grain class <typeparamref name="TGrain"/> (its grain interfaces become callable).</summary>
    public static ISiloBuilder AddGrain<TGrain>(this ISiloBuilder builder)
        where TGrain : class, IGrainBase
        => builder.AddGrain(typeof(TGrain));

    /// <summary>
    /// Registers a grain class: a <see cref="Grain"/> subclass or a POCO class implementing <see cref="IGrainBase"/>,
    /// or a generic one given as its definition (<c>typeof(CacheGrain&lt;&gt;)</c>), closed for each type arguments a
    /// call names (see <see cref="GrainTypeNames"/>).
    /// </summary>
    /// <exception cref="ArgumentException">The type is not a concrete grain class or generic grain class definition.</exception>
    public static ISiloBuilder AddGrain(this ISiloBuilder builder, Type grainClass)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(grainClass);
        if (!GrainClassInfo.IsGrainClass(grainClass) && !GrainClassInfo.IsGenericGrainClass(grainClass))
        {
            throw new ArgumentException($"'{grainClass.FullName}' is not a concrete class (or generic class definition) deriving from Actors.Grain or implementing Actors.IGrainBase.", nameof(grainClass));
        }

        builder.Services.AddSingleton(new GrainClassRegistration(grainClass));
        return builder;
    }

    /// <summary>
    /// Registers every grain class in <paramref name="assembly"/>, public or internal (as Orleans finds them): concrete
    /// classes (generic ones as their definitions) deriving from <see cref="Grain"/> or implementing
    /// <see cref="IGrainBase"/> that implement at least one grain interface. Compiler-generated classes are skipped.
    /// </summary>
    public static ISiloBuilder AddGrainsFromAssembly(this ISiloBuilder builder, Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(assembly);
        foreach (Type type in assembly.GetTypes().Where(IsDiscoverable))
        {
            builder.AddGrain(type);
        }

        return builder;
    }

    private static bool IsDiscoverable(Type type)
        => (GrainClassInfo.IsGrainClass(type) || GrainClassInfo.IsGenericGrainClass(type))
            && !type.IsDefined(typeof(CompilerGeneratedAttribute), inherit: false)
            && type.GetInterfaces().Any(GrainMethodRegistry.IsGrainInterface);
}
