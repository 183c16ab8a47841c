using System.Collections.Concurrent;
using Actors.Invocation;

namespace Actors.Runtime;

/// <summary>The silo's grain classes by type name and by interface; resolves call targets to classes.</summary>
/// <remarks>
/// A generic grain class (<c>CacheGrain&lt;T&gt;</c>) is registered open and closed on demand: by a call through a
/// closed generic interface (<c>ICacheGrain&lt;int&gt;</c>, whose type arguments are unified with the class's), or by
/// a grain type name carrying the type arguments (<c>cache`1[[System.Int32]]</c>, see <see cref="GrainTypeNames"/>).
/// Each closed class is a grain class of its own (its own type name, activations and descriptor).
/// </remarks>
internal sealed class GrainTypeRegistry : Hosting.IGrainClassCatalog
{
    private readonly Dictionary<string, GrainClassInfo> _byName = new(StringComparer.Ordinal);
    private readonly Dictionary<Type, List<GrainClassInfo>> _byInterface = [];
    private readonly Dictionary<string, Type> _genericByName = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, GrainClassInfo> _closedByName = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Type, GrainClassInfo[]> _closedByInterface = new();

    public GrainTypeRegistry(IEnumerable<GrainClassRegistration> registrations)
    {
        foreach (Type grainClass in registrations.Select(r => r.GrainClass).Distinct())
        {
            if (grainClass.IsGenericTypeDefinition)
            {
                string genericName = GrainTypeNames.ForClass(grainClass);
                if (_genericByName.TryGetValue(genericName, out Type? other))
                {
                    throw new InvalidOperationException(
                        $"Generic grain classes '{other.FullName}' and '{grainClass.FullName}' both have grain type name '{genericName}'; give one a [GrainType] name.");
                }

                _genericByName.Add(genericName, grainClass);
                continue;
            }

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

    /// <summary>The registered non-generic classes and the generic ones closed so far.</summary>
    public IReadOnlyCollection<GrainClassInfo> Classes => [.. _byName.Values, .. _closedByName.Values];

    /// <summary>The registered generic class definitions.</summary>
    public IReadOnlyCollection<Type> GenericClasses => _genericByName.Values;

    /// <inheritdoc />
    public IReadOnlyCollection<Hosting.GrainClassDescriptor> GrainClasses => [.. Classes.Select(c => c.Descriptor)];

    /// <summary>
    /// The problems found at silo start in the generic classes: a grain interface without generated code (the closed
    /// classes' stores are checked when each is first closed).
    /// </summary>
    public IEnumerable<string> FindGenericClassProblems() =>
        _genericByName.Values.SelectMany(c => c.GetInterfaces().Where(GrainMethodRegistry.IsGrainInterface)
            .Select(GeneratedGrainCode.MissingReference).OfType<GrainInterfaceNotGeneratedException>()
            .Select(missing => $"Grain class '{c.FullName}': {missing.Message}"));

    /// <summary>
    /// The class that serves <paramref name="method"/> for <paramref name="target"/> and the canonical id: the class
    /// named by the target's type if it implements the method's interface, else the only class implementing it.
    /// </summary>
    /// <exception cref="InvalidOperationException">No class, or more than one, can serve the call.</exception>
    public (GrainClassInfo ClassInfo, GrainId Target) Resolve(GrainId target, GrainMethod method)
    {
        GrainClassInfo? named = FindByName(target.Type);
        if (named is not null && method.InterfaceType.IsAssignableFrom(named.GrainClass))
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

        IReadOnlyList<GrainClassInfo> classes = Implementations(method.InterfaceType);
        if (classes.Count != 0)
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
        GrainClassInfo[] matches = [.. Implementations(grainInterface).Where(c => ClassName(c.GrainClass).StartsWith(grainClassNamePrefix, StringComparison.Ordinal))];
        return matches.Length == 1
            ? matches[0].TypeName
            : throw new ArgumentException(
                $"{matches.Length} registered grain classes implementing '{grainInterface.FullName}' have a full name starting with '{grainClassNamePrefix}'{(matches.Length > 1 ? $" ({string.Join(", ", matches.Select(m => m.GrainClass.FullName))})" : string.Empty)}; exactly one is needed.",
                nameof(grainClassNamePrefix));
    }

    /// <summary>The grain type name for references of <paramref name="grainInterface"/> created in the silo.</summary>
    public string ResolveInterface(Type grainInterface)
        => Implementations(grainInterface) is { Count: 1 } classes
            ? classes[0].TypeName
            : GrainTypeNames.ForInterface(grainInterface);

    // The class registered under a type name, or the generic class the name closes (cache`1[[System.Int32]]).
    private GrainClassInfo? FindByName(string typeName)
    {
        if (_byName.TryGetValue(typeName, out GrainClassInfo? info) || _closedByName.TryGetValue(typeName, out info))
        {
            return info;
        }

        if (_genericByName.Count == 0
            || !GrainTypeNames.TrySplitGenericArguments(typeName, out string genericName, out string[] argumentNames)
            || !_genericByName.TryGetValue(genericName, out Type? generic)
            || generic.GetGenericArguments().Length != argumentNames.Length)
        {
            return null;
        }

        var arguments = new Type[argumentNames.Length];
        for (int i = 0; i < arguments.Length; i++)
        {
            if (!StableNames.TryResolveType(argumentNames[i], out Type? argument))
            {
                return null;
            }

            arguments[i] = argument;
        }

        Type? closed = TryClose(generic, arguments);
        return closed is not null && GrainTypeNames.ForClass(closed) == typeName ? Close(closed) : null;
    }

    // The classes implementing an interface: registered ones, and for a closed generic interface the generic classes
    // closed to implement it.
    private IReadOnlyList<GrainClassInfo> Implementations(Type grainInterface)
    {
        List<GrainClassInfo>? registered = _byInterface.GetValueOrDefault(grainInterface);
        if (_genericByName.Count == 0 || !grainInterface.IsConstructedGenericType || grainInterface.ContainsGenericParameters)
        {
            return registered ?? [];
        }

        GrainClassInfo[] closed = _closedByInterface.GetOrAdd(grainInterface, static (i, self) =>
            [.. self._genericByName.Values.Select(g => CloseFor(g, i)).OfType<Type>().Select(self.Close)], this);
        return registered is null ? closed : [.. registered, .. closed];
    }

    private GrainClassInfo Close(Type closedClass) =>
        _closedByName.GetOrAdd(GrainTypeNames.ForClass(closedClass), static (_, c) => new GrainClassInfo(c), closedClass);

    // The generic class closed so that it implements the closed interface, or null when it cannot.
    private static Type? CloseFor(Type generic, Type closedInterface)
    {
        Type definition = closedInterface.GetGenericTypeDefinition();
        foreach (Type implemented in generic.GetInterfaces())
        {
            if (!implemented.IsGenericType || implemented.GetGenericTypeDefinition() != definition)
            {
                continue;
            }

            var map = new Type?[generic.GetGenericArguments().Length];
            if (Unify(implemented, closedInterface, map) && Array.TrueForAll(map, m => m is not null)
                && TryClose(generic, map!) is { } closed && closedInterface.IsAssignableFrom(closed))
            {
                return closed;
            }
        }

        return null;
    }

    // Matches a type written with the class's type parameters against a closed type, binding the parameters.
    private static bool Unify(Type pattern, Type actual, Type?[] map)
    {
        if (pattern.IsGenericParameter)
        {
            ref Type? bound = ref map[pattern.GenericParameterPosition];
            bound ??= actual;
            return bound == actual;
        }

        if (!pattern.ContainsGenericParameters)
        {
            return pattern == actual;
        }

        if (pattern.IsArray)
        {
            return actual.IsArray && pattern.IsSZArray == actual.IsSZArray && pattern.GetArrayRank() == actual.GetArrayRank()
                && Unify(pattern.GetElementType()!, actual.GetElementType()!, map);
        }

        if (!pattern.IsGenericType || !actual.IsConstructedGenericType || pattern.GetGenericTypeDefinition() != actual.GetGenericTypeDefinition())
        {
            return false;
        }

        Type[] patterns = pattern.GenericTypeArguments;
        Type[] actuals = actual.GenericTypeArguments;
        for (int i = 0; i < patterns.Length; i++)
        {
            if (!Unify(patterns[i], actuals[i], map))
            {
                return false;
            }
        }

        return true;
    }

    private static Type? TryClose(Type generic, Type[] arguments)
    {
        try
        {
            return generic.MakeGenericType(arguments);
        }
        catch (ArgumentException)
        {
            return null; // the arguments violate the class's constraints
        }
    }

    private static string ClassName(Type grainClass) =>
        (grainClass.IsConstructedGenericType ? grainClass.GetGenericTypeDefinition() : grainClass).FullName ?? grainClass.Name;
}
