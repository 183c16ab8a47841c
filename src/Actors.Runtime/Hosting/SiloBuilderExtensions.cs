using System.Reflection;
using Actors.Runtime;
using Microsoft.Extensions.DependencyInjection;

namespace Actors.Hosting;

/// <summary>Registers grain classes with a silo.</summary>
public static class SiloBuilderExtensions
{
    /// <summary>Registers grain class <typeparamref name="TGrain"/> (its grain interfaces become callable).</summary>
    public static ISiloBuilder AddGrain<TGrain>(this ISiloBuilder builder)
        where TGrain : Grain
        => builder.AddGrain(typeof(TGrain));

    /// <summary>Registers a grain class.</summary>
    /// <exception cref="ArgumentException">The type is not a concrete class deriving from <see cref="Grain"/>.</exception>
    public static ISiloBuilder AddGrain(this ISiloBuilder builder, Type grainClass)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(grainClass);
        if (!IsGrainClass(grainClass))
        {
            throw new ArgumentException($"'{grainClass.FullName}' is not a concrete, non-generic class deriving from Actors.Grain.", nameof(grainClass));
        }

        builder.Services.AddSingleton(new GrainClassRegistration(grainClass));
        return builder;
    }

    /// <summary>Registers every public concrete grain class in <paramref name="assembly"/>.</summary>
    public static ISiloBuilder AddGrainsFromAssembly(this ISiloBuilder builder, Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(assembly);
        foreach (Type type in assembly.GetExportedTypes().Where(IsGrainClass))
        {
            builder.AddGrain(type);
        }

        return builder;
    }

    private static bool IsGrainClass(Type type)
        => type.IsClass && !type.IsAbstract && !type.ContainsGenericParameters && typeof(Grain).IsAssignableFrom(type);
}
