using System.Reflection;
using Orleans.Serialization;

namespace Actors.Orleans.Silo.Grains;

/// <summary>Registers loaded grain assemblies with Orleans.</summary>
internal static class GrainAssemblyExtensions
{
    /// <summary>Adds each assembly's generated metadata (grain classes, interfaces, serializers) through Orleans's serializer builder.</summary>
    public static ISiloBuilder AddGrainAssemblies(this ISiloBuilder silo, IReadOnlyList<Assembly> assemblies)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentNullException.ThrowIfNull(assemblies);
        silo.Services.AddSerializer(serializer =>
        {
            foreach (Assembly assembly in assemblies)
            {
                serializer.AddAssembly(assembly);
            }
        });
        return silo;
    }
}
