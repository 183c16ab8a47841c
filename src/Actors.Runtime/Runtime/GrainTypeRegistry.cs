using Actors.Invocation;

namespace Actors.Runtime;

/// <summary>The silo's grain classes by type name and by interface; resolves call targets to classes.</summary>
internal sealed class GrainTypeRegistry : Hosting.IGrainClassCatalog
{
    private readonly Dictionary<string, GrainClassInfo> _byName = new(StringComparer.Ordinal);
    private readonly Dictionary<Type, List<GrainClassInfo>> _byInterface = [];

    public GrainTypeRegistry(IEnumerable<GrainClassRegistration> registrations)
    {
        foreach (Type grainClass in registrations.Select(r => r.GrainClass).Distinct())
        {
            var info = new GrainClassInfo(grainClass);
            if (_byName.TryGetValue(info.TypeName, out GrainClassInfo? existing))
            {
                throw new InvalidOperationException(
                    $"Grain classes '{existing.GrainClass.FullName}' and '{grainClass.FullName}' both have grain type name '{info.TypeName}'; give one a [GrainType] name.");
            }

            _byName.Add(info.TypeName, info);
            foreach (Type grainInterface in info.GrainInterfaces)
            {
                if (!_byInterface.TryGetValue(grainInterface, out List<GrainClassInfo>? classes))
                {
                    _byInterface[grainInterface] = classes = [];
                }

                classes.Add(info);
            }
        }
    }

    public IReadOnlyCollection<GrainClassInfo> Classes => _byName.Values;

    /// <inheritdoc />
    public IReadOnlyCollection<Hosting.GrainClassDescriptor> GrainClasses => [.. _byName.Values.Select(c => c.Descriptor)];

    /// <summary>
    /// The class that serves <paramref name="method"/> for <paramref name="target"/> and the canonical id: the class
    /// named by the target's type if it implements the method's interface, else the only class implementing it.
    /// </summary>
    /// <exception cref="InvalidOperationException">No class, or more than one, can serve the call.</exception>
    public (GrainClassInfo ClassInfo, GrainId Target) Resolve(GrainId target, GrainMethod method)
    {
        if (_byName.TryGetValue(target.Type, out GrainClassInfo? named) && method.InterfaceType.IsAssignableFrom(named.GrainClass))
        {
            return (named, target);
        }

        if (typeof(IGrainExtension).IsAssignableFrom(method.InterfaceType))
        {
            // Every activation answers an extension, so only the id's own type can say which class serves it.
            return named is not null
                ? (named, target)
                : throw new InvalidOperationException(
                    $"Extension call {method.Key} to {target}: grain type '{target.Type}' is not registered in this silo; an extension call needs the grain's exact id.");
        }

        if (_byInterface.TryGetValue(method.InterfaceType, out List<GrainClassInfo>? classes))
        {
            if (classes.Count == 1)
            {
                return (classes[0], new GrainId(classes[0].TypeName, target.Key));
            }

            throw new InvalidOperationException(
                $"Grain type '{target.Type}' is not registered and {classes.Count} grain classes implement '{method.InterfaceType.FullName}' ({string.Join(", ", classes.Select(c => c.TypeName))}); the call to {target} is ambiguous.");
        }

        throw new InvalidOperationException(
            $"No grain class registered in this silo implements '{method.InterfaceType.FullName}' (call to {target}); register it with AddGrain<T>() or AddGrainsFromAssembly(...).");
    }

    /// <summary>
    /// The grain type name of the registered class implementing <paramref name="grainInterface"/> whose full name starts
    /// with <paramref name="grainClassNamePrefix"/> (Orleans' <c>grainClassNamePrefix</c>).
    /// </summary>
    /// <exception cref="ArgumentException">No such class, or more than one.</exception>
    public string ResolvePrefix(Type grainInterface, string grainClassNamePrefix)
    {
        GrainClassInfo[] matches = _byInterface.TryGetValue(grainInterface, out List<GrainClassInfo>? classes)
            ? [.. classes.Where(c => c.GrainClass.FullName?.StartsWith(grainClassNamePrefix, StringComparison.Ordinal) == true)]
            : [];
        return matches.Length == 1
            ? matches[0].TypeName
            : throw new ArgumentException(
                $"{matches.Length} registered grain classes implementing '{grainInterface.FullName}' have a full name starting with '{grainClassNamePrefix}'{(matches.Length > 1 ? $" ({string.Join(", ", matches.Select(m => m.GrainClass.FullName))})" : string.Empty)}; exactly one is needed.",
                nameof(grainClassNamePrefix));
    }

    /// <summary>The grain type name for references of <paramref name="grainInterface"/> created in the silo.</summary>
    public string ResolveInterface(Type grainInterface)
        => _byInterface.TryGetValue(grainInterface, out List<GrainClassInfo>? classes) && classes.Count == 1
            ? classes[0].TypeName
            : GrainTypeNames.ForInterface(grainInterface);
}
