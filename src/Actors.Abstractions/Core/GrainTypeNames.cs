using System.Collections.Concurrent;
using System.Reflection;

namespace Actors;

/// <summary>
/// Derives grain type names, the first half of a <see cref="GrainId"/>. A grain class's name is its
/// <see cref="GrainTypeAttribute"/> value, or else the class name lowercased without a trailing "Grain"
/// (<c>CounterGrain</c> becomes <c>counter</c>).
/// </summary>
/// <remarks>
/// A reference created without access to the grain classes (a client) only knows the interface, so it uses
/// <see cref="ForInterface"/>: the interface name without the leading "I" and a trailing "Grain", lowercased
/// (<c>ICounterGrain</c> becomes <c>counter</c>). The silo maps that provisional name back to the class that
/// implements the interface, so the conventional pairing (<c>ICounterGrain</c> / <c>CounterGrain</c>) yields the
/// same id on both sides and any other pairing still reaches the right class.
/// <para>
/// Generic grain classes and interfaces carry their arity and, when closed, their type arguments by stable name
/// (<see cref="Invocation.StableNames.ForType"/>, no assembly names), in the shape Orleans gives generic grain types:
/// <c>CacheGrain&lt;T&gt;</c> is <c>cache`1</c>, and <c>CacheGrain&lt;int&gt;</c> (or a reference of
/// <c>ICacheGrain&lt;int&gt;</c>) is <c>cache`1[[System.Int32]]</c>, so each closed type is its own grain type with its
/// own activations. Thread-safe.
/// </para>
/// </remarks>
public static class GrainTypeNames
{
    private const string GrainSuffix = "grain";
    private static readonly ConcurrentDictionary<Type, string> ClassNames = new();
    private static readonly ConcurrentDictionary<Type, string> InterfaceNames = new();

    /// <summary>The grain type name of a grain class.</summary>
    /// <exception cref="ArgumentException">The attribute value is empty or contains '/', or the derived name is empty.</exception>
    public static string ForClass(Type grainClass)
    {
        ArgumentNullException.ThrowIfNull(grainClass);
        return ClassNames.GetOrAdd(grainClass, static t =>
        {
            Type definition = t.IsConstructedGenericType ? t.GetGenericTypeDefinition() : t;
            string? overridden = definition.GetCustomAttribute<GrainTypeAttribute>(inherit: false)?.Name;
            return Validate(t, AppendGenericArguments(overridden ?? Derive(StripGenericArity(t.Name)), t));
        });
    }

    /// <summary>
    /// The grain type name derived from a class name (full or short): its last name part, lowercased, without a
    /// trailing "Grain" (<c>Shop.Carts.CartGrainV2</c> becomes <c>cartgrainv2</c>, <c>Shop.CartGrain</c> becomes <c>cart</c>).
    /// A class with a <see cref="GrainTypeAttribute"/> has that name instead, which only the class itself knows.
    /// </summary>
    /// <exception cref="ArgumentException">The name is empty or contains '/'.</exception>
    public static string ForClassName(string className)
    {
        ArgumentException.ThrowIfNullOrEmpty(className);
        int dot = className.LastIndexOfAny(['.', '+']);
        string name = Derive(StripGenericArity(dot < 0 ? className : className[(dot + 1)..]));
        if (name.Length == 0 || name.Contains('/', StringComparison.Ordinal))
        {
            throw new ArgumentException($"Grain type name '{name}' derived from class name '{className}' is empty or contains '/'.", nameof(className));
        }

        return name;
    }

    /// <summary>The provisional grain type name of a grain interface (what a client puts in a <see cref="GrainId"/>).</summary>
    public static string ForInterface(Type grainInterface)
    {
        ArgumentNullException.ThrowIfNull(grainInterface);
        return InterfaceNames.GetOrAdd(grainInterface, static t =>
        {
            string name = StripGenericArity(t.Name);
            if (name.Length > 1 && name[0] == 'I' && char.IsUpper(name[1]))
            {
                name = name[1..];
            }

            return Validate(t, AppendGenericArguments(Derive(name), t));
        });
    }

    /// <summary>
    /// Splits a generic grain type name into its generic part and its type arguments' stable names:
    /// <c>cache`1[[System.Int32]]</c> gives <c>cache`1</c> and <c>["System.Int32"]</c>. False for a non-generic or
    /// open name (no argument list) and for a malformed one.
    /// </summary>
    public static bool TrySplitGenericArguments(string grainType, out string genericName, out string[] arguments)
    {
        ArgumentNullException.ThrowIfNull(grainType);
        genericName = grainType;
        arguments = [];
        int open = grainType.IndexOf("[[", StringComparison.Ordinal);
        if (open <= 0 || !grainType.EndsWith("]]", StringComparison.Ordinal))
        {
            return false;
        }

        var parts = new List<string>();
        int depth = 0;
        int start = open + 2;
        for (int i = start; i < grainType.Length - 1; i++)
        {
            char c = grainType[i];
            if (c is '<' or '[')
            {
                depth++;
            }
            else if (c is '>' || (c == ']' && depth > 0))
            {
                depth--;
            }
            else if (c == ']' && depth == 0)
            {
                parts.Add(grainType[start..i]);
                if (i == grainType.Length - 2)
                {
                    break;
                }

                if (grainType[i + 1] != ',' || grainType[i + 2] != '[')
                {
                    return false;
                }

                i += 2;
                start = i + 1;
            }
        }

        genericName = grainType[..open];
        arguments = [.. parts];
        return arguments.Length != 0;
    }

    // "cache" of CacheGrain<T> becomes "cache`1", of CacheGrain<int> "cache`1[[System.Int32]]".
    private static string AppendGenericArguments(string name, Type type)
    {
        if (!type.IsGenericType)
        {
            return name;
        }

        var builder = new System.Text.StringBuilder(name).Append('`').Append(type.GetGenericArguments().Length);
        if (type.IsConstructedGenericType && !type.ContainsGenericParameters)
        {
            builder.Append('[');
            Type[] arguments = type.GenericTypeArguments;
            for (int i = 0; i < arguments.Length; i++)
            {
                builder.Append(i == 0 ? "[" : ",[").Append(Invocation.StableNames.ForType(arguments[i])).Append(']');
            }

            builder.Append(']');
        }

        return builder.ToString();
    }

    private static string Derive(string name)
    {
        string lower = name.ToLowerInvariant();
        return lower.Length > GrainSuffix.Length && lower.EndsWith(GrainSuffix, StringComparison.Ordinal)
            ? lower[..^GrainSuffix.Length]
            : lower;
    }

    private static string StripGenericArity(string name)
    {
        int tick = name.IndexOf('`', StringComparison.Ordinal);
        return tick < 0 ? name : name[..tick];
    }

    private static string Validate(Type type, string name)
    {
        if (name.Length == 0 || name.Contains('/', StringComparison.Ordinal))
        {
            throw new ArgumentException($"Grain type name '{name}' of '{type.FullName}' is empty or contains '/'.", nameof(type));
        }

        if (name[0] == '$')
        {
            throw new ArgumentException($"Grain type name '{name}' of '{type.FullName}' starts with '$', which is reserved for the runtime's own ids (observers).", nameof(type));
        }

        return name;
    }
}
