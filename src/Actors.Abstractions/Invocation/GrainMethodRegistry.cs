using System.Collections.Concurrent;
using System.Reflection;

namespace Actors.Invocation;

/// <summary>
/// Resolves wire keys back to <see cref="GrainMethod"/>s. The silo registers every grain interface of its grain
/// classes at startup; the gateway resolves incoming calls here, so a client can only call registered methods.
/// </summary>
/// <remarks>Thread-safe.</remarks>
public sealed class GrainMethodRegistry
{
    private readonly ConcurrentDictionary<string, GrainMethod> _byKey = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Type, byte> _interfaces = new();
    private readonly ConcurrentDictionary<string, Type> _genericInterfaces = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (string Prefix, string Suffix, MethodInfo Definition)> _genericMethods = new(StringComparer.Ordinal);

    /// <summary>Registers every method of <paramref name="grainInterface"/> and of the grain (or observer) interfaces it extends.</summary>
    /// <exception cref="ArgumentException">The type is not an interface deriving from <see cref="IGrain"/> or <see cref="IGrainObserver"/>, or a method has an unsupported return type.</exception>
    public void RegisterInterface(Type grainInterface)
    {
        ArgumentNullException.ThrowIfNull(grainInterface);
        if (!grainInterface.IsInterface || !typeof(Runtime.IAddressable).IsAssignableFrom(grainInterface) || grainInterface == typeof(Runtime.IAddressable))
        {
            throw new ArgumentException($"'{grainInterface.FullName}' is not a grain interface (an interface deriving from IGrain or IGrainObserver).", nameof(grainInterface));
        }

        foreach (Type type in grainInterface.GetInterfaces().Append(grainInterface))
        {
            if (!typeof(Runtime.IAddressable).IsAssignableFrom(type) || type == typeof(Runtime.IAddressable))
            {
                continue;
            }

            if (type.ContainsGenericParameters)
            {
                // A generic grain class's interface (IFoo<T>): its closed forms are registered when a key names them.
                Type definition = type.GetGenericTypeDefinition();
                _genericInterfaces.TryAdd(StableNames.ForType(definition), definition);
                continue;
            }

            if (!_interfaces.TryAdd(type, 0))
            {
                continue;
            }

            foreach (MethodInfo method in type.GetMethods(BindingFlags.Public | BindingFlags.Instance))
            {
                var descriptor = GrainMethod.For(method);
                _byKey.TryAdd(descriptor.Key, descriptor);
                if (method.IsGenericMethodDefinition)
                {
                    // Its instantiations insert "<Args>" after the name or alias: before '(' or at the end (an alias).
                    int split = method.IsDefined(typeof(AliasAttribute), inherit: false) ? descriptor.Key.Length : descriptor.Key.IndexOf('(', StringComparison.Ordinal);
                    _genericMethods.TryAdd(descriptor.Key, (descriptor.Key[..split], descriptor.Key[split..], method));
                }
            }
        }
    }

    /// <summary>Registers every grain interface that <paramref name="grainClass"/> implements.</summary>
    public void RegisterGrainClass(Type grainClass)
    {
        ArgumentNullException.ThrowIfNull(grainClass);
        foreach (Type type in grainClass.GetInterfaces().Where(IsGrainInterface))
        {
            RegisterInterface(type);
        }
    }

    /// <summary>
    /// Whether <paramref name="type"/> is a callable grain interface: an interface deriving from <see cref="IGrain"/>
    /// other than the key markers (<see cref="IGrain"/>, <see cref="IGrainWithStringKey"/>, <see cref="IGrainWithGuidKey"/>,
    /// <see cref="IGrainWithIntegerKey"/>, <see cref="IGrainWithGuidCompoundKey"/>, <see cref="IGrainWithIntegerCompoundKey"/>).
    /// </summary>
    public static bool IsGrainInterface(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        return type.IsInterface && typeof(IGrain).IsAssignableFrom(type) && !KeyMarkers.Contains(type);
    }

    private static readonly HashSet<Type> KeyMarkers =
    [
        typeof(IGrain), typeof(IGrainWithStringKey), typeof(IGrainWithGuidKey), typeof(IGrainWithIntegerKey),
        typeof(IGrainWithGuidCompoundKey), typeof(IGrainWithIntegerCompoundKey),
    ];

    /// <summary>
    /// Looks up a method by its wire key. A key of a closed generic interface whose definition a registered generic
    /// grain class implements (<c>Shop.ICache&lt;System.Int32&gt;.Get()</c>) registers that closed interface first,
    /// its type arguments resolved among the loaded types (<see cref="StableNames.TryResolveType"/>).
    /// </summary>
    public bool TryGetMethod(string key, out GrainMethod method)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (_byKey.TryGetValue(key, out method!))
        {
            return true;
        }

        if (!_genericInterfaces.IsEmpty && TryCloseGenericInterface(key) && _byKey.TryGetValue(key, out method!))
        {
            return true;
        }

        return !_genericMethods.IsEmpty && TryCloseGenericMethod(key, out method!);
    }

    // Registers the instantiation of a generic method a key names ("Prefix<Args>Suffix"); false when it names none.
    private bool TryCloseGenericMethod(string key, out GrainMethod method)
    {
        foreach ((string prefix, string suffix, MethodInfo definition) in _genericMethods.Values)
        {
            int end = key.Length - suffix.Length - 1;
            if (end <= prefix.Length || !key.StartsWith(prefix, StringComparison.Ordinal) || key[prefix.Length] != '<'
                || key[end] != '>' || !key.EndsWith(suffix, StringComparison.Ordinal)
                || !StableNames.TryResolveTypes(key[(prefix.Length + 1)..end], out Type[]? arguments)
                || arguments.Length != definition.GetGenericArguments().Length)
            {
                continue;
            }

            GrainMethod closed;
            try
            {
                closed = GrainMethod.For(definition.MakeGenericMethod(arguments));
            }
            catch (ArgumentException)
            {
                continue; // the arguments violate the method's constraints
            }

            if (closed.Key == key)
            {
                method = _byKey.GetOrAdd(key, closed);
                return true;
            }
        }

        method = null!;
        return false;
    }

    // Registers the closed generic interface a key names (prefix "Definition<Arg,...>."); false when it names none.
    private bool TryCloseGenericInterface(string key)
    {
        foreach ((string name, Type definition) in _genericInterfaces)
        {
            if (key.Length <= name.Length || !key.StartsWith(name, StringComparison.Ordinal) || key[name.Length] != '<')
            {
                continue;
            }

            int depth = 0;
            int end = name.Length;
            for (; end < key.Length; end++)
            {
                depth += key[end] switch { '<' => 1, '>' => -1, _ => 0 };
                if (depth == 0)
                {
                    break;
                }
            }

            if (end >= key.Length - 1 || key[end + 1] != '.'
                || !StableNames.TryResolveType(name + key[name.Length..(end + 1)], out Type? closed)
                || !closed.IsConstructedGenericType || closed.GetGenericTypeDefinition() != definition)
            {
                continue;
            }

            RegisterInterface(closed);
            return true;
        }

        return false;
    }

    /// <summary>The registered interfaces.</summary>
    public IReadOnlyCollection<Type> Interfaces => (IReadOnlyCollection<Type>)_interfaces.Keys;
}
