using System.Collections.Concurrent;
using System.Reflection;
using Actors.Serialization.Wire;

namespace Actors.Serialization;

/// <summary>
/// Maps types to the names TypeSpecs use (well-known id, <see cref="AliasAttribute"/> alias, or CLR full name) and back.
/// A name read from the wire resolves only to a type this process already has loaded and can serialize (an
/// allow-list: data can never make the reader load an assembly or instantiate an arbitrary type).
/// </summary>
/// <remarks>Thread-safe.</remarks>
internal sealed class TypeRegistry(CodecProvider provider)
{
    private readonly ConcurrentDictionary<Type, WireTypeName> _namesByType = new();
    private readonly ConcurrentDictionary<string, Type> _typesByName = new(StringComparer.Ordinal);

    /// <summary>Registers an alias (from a generated manifest).</summary>
    /// <exception cref="SerializerException">The alias already names another type.</exception>
    public void AddAlias(string alias, Type type)
    {
        Type existing = _typesByName.GetOrAdd(alias, type);
        if (existing != type)
        {
            throw new SerializerException(
                $"The alias '{alias}' names both '{TypeNames.Display(existing)}' and '{TypeNames.Display(type)}'; type aliases must be unique.");
        }

        _namesByType[type] = new WireTypeName(0, alias);
    }

    /// <summary>Registers a type by its CLR full name (types with generated codecs), so readers find it without scanning.</summary>
    public void AddKnownType(Type type)
    {
        if (type.FullName is { } fullName)
        {
            _typesByName.TryAdd(fullName, type);
        }
    }

    /// <summary>Returns how a TypeSpec names <paramref name="definition"/> (a non-generic type or a generic type definition).</summary>
    public WireTypeName GetWireName(Type definition) => _namesByType.GetOrAdd(definition, static type =>
    {
        uint id = WellKnownTypeIds.GetId(type);
        if (id != 0)
        {
            return new WireTypeName(id, null);
        }

        string? alias = type.GetCustomAttribute<AliasAttribute>(inherit: false)?.Alias;
        return new WireTypeName(0, alias ?? type.FullName ?? throw new SerializerException($"Type '{type}' has no name that can be written."));
    });

    /// <summary>The name an exception's type is carried by inside the exception layout: its alias or CLR full name.</summary>
    public string GetExceptionTypeName(Type type) =>
        GetWireName(type).Name ?? type.FullName ?? throw new SerializerException($"Exception type '{type}' has no name that can be written.");

    /// <summary>Resolves an exception type name; null when it is unknown, not an exception type, or refused by the type filter.</summary>
    public Type? ResolveExceptionType(string name)
    {
        Type? type = FindByName(name);
        if (type is null && name == "System.Exception")
        {
            type = typeof(Exception);
        }

        return type is not null && typeof(Exception).IsAssignableFrom(type) && !type.IsAbstract && provider.PassesTypeFilter(type) ? type : null;
    }

    /// <summary>Resolves a well-known id (with generic arguments).</summary>
    public TypeEntry ResolveWellKnown(uint id, TypeEntry[] arguments)
    {
        string name = $"well-known #{id}";
        return WellKnownTypeIds.TryGetType(id, out Type? type)
            ? Construct(name, type, arguments)
            : new TypeEntry(name, null, "the id is not defined in this version (written by a newer version?)");
    }

    /// <summary>Resolves a name (alias or CLR full name, with generic arguments).</summary>
    public TypeEntry ResolveNamed(string name, TypeEntry[] arguments)
    {
        Type? type = FindByName(name);
        if (type is null)
        {
            provider.RefreshManifests(loadReferencedAssemblies: true);
            type = FindByName(name);
        }

        return type is null
            ? new TypeEntry(DisplayName(name, arguments), null, "no loaded type has this alias or name (is the assembly that declares it referenced and marked for code generation?)")
            : Construct(name, type, arguments);
    }

    /// <summary>Resolves an array type.</summary>
    public TypeEntry ResolveArray(TypeEntry element, int rank)
    {
        string name = $"{element.Name}[{new string(',', Math.Max(rank - 1, 0))}]";
        if (element.Type is null)
        {
            return new TypeEntry(name, null, $"its element type '{element.Name}' is unknown here");
        }

        Type array = rank == 0 ? element.Type.MakeArrayType() : element.Type.MakeArrayType(rank);
        return Allow(name, array);
    }

    private TypeEntry Construct(string name, Type type, TypeEntry[] arguments)
    {
        string display = DisplayName(name, arguments);
        if (arguments.Length == 0)
        {
            return type.IsGenericTypeDefinition
                ? new TypeEntry(display, null, "it is a generic type definition but the data gives no type arguments")
                : Allow(display, type);
        }

        if (!type.IsGenericTypeDefinition || type.GetGenericArguments().Length != arguments.Length)
        {
            return new TypeEntry(display, null, $"it does not take {arguments.Length} type arguments");
        }

        var resolved = new Type[arguments.Length];
        for (int i = 0; i < arguments.Length; i++)
        {
            if (arguments[i].Type is not { } argument)
            {
                return new TypeEntry(display, null, $"its type argument '{arguments[i].Name}' is unknown here");
            }

            resolved[i] = argument;
        }

        try
        {
            return Allow(display, type.MakeGenericType(resolved));
        }
        catch (ArgumentException ex)
        {
            return new TypeEntry(display, null, $"its type arguments violate the definition's constraints ({ex.Message})");
        }
    }

    /// <summary>A type by alias or CLR full name among the loaded assemblies, whether or not it has a codec (for <see cref="System.Type"/> values); null when none.</summary>
    public Type? FindLoadedType(string name) => FindByName(name);

    private TypeEntry Allow(string name, Type type) =>
        provider.IsSerializable(type) ? new TypeEntry(name, type, null) : new TypeEntry(name, null, "it has no codec in this process, so it may not be read");

    private Type? FindByName(string name)
    {
        if (_typesByName.TryGetValue(name, out Type? type))
        {
            return type;
        }

        foreach (Assembly assembly in AppDomain.CurrentDomain.GetAssemblies())
        {
            if (assembly.IsDynamic)
            {
                continue;
            }

            type = assembly.GetType(name, throwOnError: false, ignoreCase: false);
            if (type is not null)
            {
                return _typesByName.GetOrAdd(name, type);
            }
        }

        return null;
    }

    private static string DisplayName(string name, TypeEntry[] arguments) =>
        arguments.Length == 0 ? name : $"{name}<{string.Join(", ", arguments.Select(a => a.Name))}>";
}
