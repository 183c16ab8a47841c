using System.Collections.Concurrent;
using System.Reflection;
using Actors.Invocation;
using Actors.Runtime;

namespace Actors.Serialization;

/// <summary>
/// The runtime's <see cref="IGrainReferenceResolver"/>: a reference travels as its grain id and the stable name of its
/// interface (<see cref="StableNames.ForType"/>) and is rebuilt on the reading side by that side's reference factory, so
/// calls through it go through the reader's invoker.
/// </summary>
/// <remarks>
/// Interfaces are found among the grain interfaces of the assemblies loaded in this process; an interface this process
/// does not have, or one that is not the declared type, is a <see cref="SerializerException"/> naming it. Thread-safe.
/// </remarks>
public sealed class GrainReferenceResolver : IGrainReferenceResolver
{
    private static readonly ConcurrentDictionary<string, Type> InterfacesByName = new(StringComparer.Ordinal);
    private static readonly HashSet<Assembly> ScannedAssemblies = [];
    private readonly Func<Type, GrainId, object> _createReference;

    /// <summary>Creates the resolver.</summary>
    /// <param name="createReference">Builds a reference of a grain interface to a grain id (the side's reference factory).</param>
    public GrainReferenceResolver(Func<Type, GrainId, object> createReference)
    {
        ArgumentNullException.ThrowIfNull(createReference);
        _createReference = createReference;
    }

    /// <inheritdoc />
    public bool IsGrainReferenceType(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        return typeof(IGrainReference).IsAssignableFrom(type) || (type.IsInterface && typeof(IAddressable).IsAssignableFrom(type));
    }

    /// <inheritdoc />
    public GrainReferenceData Describe(object reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        if (reference is not IGrainReference grain)
        {
            throw new SerializerException(
                $"'{reference.GetType().FullName}' implements a grain interface but is not a grain reference: only references from a grain factory can be passed (a grain passes itself with this.AsReference<T>()).");
        }

        return new GrainReferenceData(grain.GrainId.Type, grain.GrainId.Key, StableNames.ForType(grain.InterfaceType));
    }

    /// <inheritdoc />
    public object Resolve(GrainReferenceData data, Type declaredType, object? callContext)
    {
        ArgumentNullException.ThrowIfNull(declaredType);
        if (string.IsNullOrEmpty(data.GrainType) || string.IsNullOrEmpty(data.Key))
        {
            throw new SerializerException($"A grain reference without a grain type or key arrived ({data.GrainType}/{data.Key}).");
        }

        Type grainInterface = FindInterface(data.Interface)
            ?? (IsReferenceInterface(declaredType)
                ? declaredType
                : throw new SerializerException($"A grain reference of interface '{data.Interface}' arrived, but no loaded assembly declares a grain interface of that name."));
        if (!declaredType.IsAssignableFrom(grainInterface))
        {
            grainInterface = IsReferenceInterface(declaredType)
                ? declaredType
                : throw new SerializerException($"A grain reference of interface '{data.Interface}' arrived where a '{declaredType.FullName}' is expected.");
        }

        return _createReference(grainInterface, new GrainId(data.GrainType, data.Key));
    }

    private static Type? FindInterface(string name)
    {
        if (InterfacesByName.TryGetValue(name, out Type? known))
        {
            return known;
        }

        lock (ScannedAssemblies)
        {
            foreach (Assembly assembly in AppDomain.CurrentDomain.GetAssemblies())
            {
                if (assembly.IsDynamic || !ScannedAssemblies.Add(assembly))
                {
                    continue;
                }

                foreach (Type type in LoadableTypes(assembly))
                {
                    if (IsReferenceInterface(type) && !type.ContainsGenericParameters)
                    {
                        InterfacesByName.TryAdd(StableNames.ForType(type), type);
                    }
                }
            }
        }

        return InterfacesByName.GetValueOrDefault(name);
    }

    /// <summary>A grain or observer interface.</summary>
    private static bool IsReferenceInterface(Type type) => type.IsInterface
        && (typeof(IGrain).IsAssignableFrom(type) || typeof(IGrainObserver).IsAssignableFrom(type));

    private static IEnumerable<Type> LoadableTypes(Assembly assembly)
    {
        try
        {
            return assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException ex)
        {
            return ex.Types.Where(t => t is not null)!;
        }
    }
}
