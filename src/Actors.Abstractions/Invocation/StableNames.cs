using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Text;

namespace Actors.Invocation;

/// <summary>
/// Names of grain interfaces, methods and parameter types that stay equal across builds and assembly versions: what
/// crosses the wire instead of CLR names (<see cref="Type.FullName"/> of a generic type embeds the assembly-qualified
/// names, versions included, of its type arguments).
/// </summary>
/// <remarks>
/// A type or method carrying <see cref="AliasAttribute"/> is named by its alias. Otherwise a type is its namespace-qualified
/// name with generic arguments in angle brackets (<c>System.Collections.Generic.List&lt;Shop.Item&gt;</c>), never an
/// assembly name. Thread-safe.
/// </remarks>
public static class StableNames
{
    private static readonly ConcurrentDictionary<string, Type?> Resolved = new(StringComparer.Ordinal);
    private static readonly object AliasLock = new();
    private static Dictionary<string, Type> _aliases = new(StringComparer.Ordinal);
    private static int _aliasAssemblies = -1;

    /// <summary>
    /// Resolves a name <see cref="ForType"/> wrote back to a type among the assemblies loaded in this process (never
    /// loading one): a namespace-qualified name, or an <see cref="AliasAttribute"/> alias declared in an assembly that
    /// references Actors, with generic arguments and array ranks. False when no loaded type has the name or the
    /// arguments violate the definition's constraints.
    /// </summary>
    public static bool TryResolveType(string name, [NotNullWhen(true)] out Type? type)
    {
        ArgumentNullException.ThrowIfNull(name);
        type = Resolved.GetOrAdd(name, static n =>
        {
            int position = 0;
            Type? parsed = Parse(n, ref position);
            return position == n.Length ? parsed : null;
        });
        if (type is null)
        {
            Resolved.TryRemove(name, out _); // an assembly loaded later may have it
            return false;
        }

        return true;
    }

    /// <summary>The stable name of <paramref name="type"/>: its alias, or its namespace-qualified name without assembly names.</summary>
    public static string ForType(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        var builder = new StringBuilder();
        Append(builder, type);
        return builder.ToString();
    }

    /// <summary>
    /// The wire key of an interface method: <c>Interface.Alias</c> when the method has an alias, else
    /// <c>Interface.Method(ParamType1,ParamType2)</c>, the interface and the types by <see cref="ForType"/>.
    /// </summary>
    /// <remarks>
    /// A generic method's definition has the arity after its name and its own type parameters as <c>!!n</c>
    /// (<c>IFoo.Echo`1(!!0)</c>); a constructed generic method inserts its type arguments after the name (or alias):
    /// <c>IFoo.Echo`1&lt;System.Int32&gt;(!!0)</c>, so each instantiation is its own key.
    /// </remarks>
    public static string ForMethod(MethodInfo method)
    {
        ArgumentNullException.ThrowIfNull(method);
        MethodInfo definition = method.IsConstructedGenericMethod ? method.GetGenericMethodDefinition() : method;
        var builder = new StringBuilder();
        Append(builder, definition.DeclaringType!);
        builder.Append('.');
        AliasAttribute? alias = definition.GetCustomAttribute<AliasAttribute>(inherit: false);
        if (alias is not null)
        {
            builder.Append(alias.Alias);
        }
        else
        {
            builder.Append(definition.Name);
            if (definition.IsGenericMethodDefinition)
            {
                builder.Append('`').Append(definition.GetGenericArguments().Length);
            }
        }

        if (method.IsConstructedGenericMethod)
        {
            builder.Append('<');
            Type[] arguments = method.GetGenericArguments();
            for (int i = 0; i < arguments.Length; i++)
            {
                Append(builder.Append(i == 0 ? "" : ","), arguments[i]);
            }

            builder.Append('>');
        }

        if (alias is not null)
        {
            return builder.ToString();
        }

        builder.Append('(');
        ParameterInfo[] parameters = definition.GetParameters();
        for (int i = 0; i < parameters.Length; i++)
        {
            if (i > 0)
            {
                builder.Append(',');
            }

            Append(builder, parameters[i].ParameterType);
        }

        return builder.Append(')').ToString();
    }

    private static void Append(StringBuilder builder, Type type)
    {
        if (type.IsGenericParameter)
        {
            builder.Append(type.DeclaringMethod is null ? "!" : "!!").Append(type.GenericParameterPosition);
            return;
        }

        if (type.IsArray)
        {
            Append(builder, type.GetElementType()!);
            builder.Append('[').Append(',', type.GetArrayRank() - 1).Append(']');
            return;
        }

        if (type.IsByRef || type.IsPointer)
        {
            Append(builder, type.GetElementType()!);
            builder.Append(type.IsByRef ? '&' : '*');
            return;
        }

        Type definition = type.IsGenericType ? type.GetGenericTypeDefinition() : type;
        if (definition.GetCustomAttribute<AliasAttribute>(inherit: false) is { } alias)
        {
            builder.Append(alias.Alias);
        }
        else
        {
            AppendDefinitionName(builder, definition);
        }

        if (type.IsGenericType && !type.IsGenericTypeDefinition)
        {
            builder.Append('<');
            Type[] arguments = type.GetGenericArguments();
            for (int i = 0; i < arguments.Length; i++)
            {
                if (i > 0)
                {
                    builder.Append(',');
                }

                Append(builder, arguments[i]);
            }

            builder.Append('>');
        }
    }

    /// <summary>Resolves a comma-separated list of names <see cref="ForType"/> wrote (<c>System.Int32,System.String</c>); false when one is unknown.</summary>
    public static bool TryResolveTypes(string names, [NotNullWhen(true)] out Type[]? types)
    {
        ArgumentNullException.ThrowIfNull(names);
        var resolved = new List<Type>();
        int position = 0;
        while (true)
        {
            if (Parse(names, ref position) is not { } type)
            {
                types = null;
                return false;
            }

            resolved.Add(type);
            if (position == names.Length)
            {
                types = [.. resolved];
                return true;
            }

            if (names[position++] != ',')
            {
                types = null;
                return false;
            }
        }
    }

    private static Type? Parse(string text, ref int position)
        => Actors.Serialization.TypeNameSyntax.Parse(text, ref position, FindDefinition);

    private static Type? FindDefinition(string name, int arity)
    {
        string clrName = arity == 0 ? name : name + "`" + arity.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assembly[] assemblies = AppDomain.CurrentDomain.GetAssemblies();
        foreach (Assembly assembly in assemblies)
        {
            if (!assembly.IsDynamic && assembly.GetType(clrName, throwOnError: false, ignoreCase: false) is { } found)
            {
                return found;
            }
        }

        lock (AliasLock)
        {
            if (_aliasAssemblies != assemblies.Length)
            {
                _aliasAssemblies = assemblies.Length;
                _aliases = FindAliases(assemblies);
            }

            return _aliases.TryGetValue(name, out Type? aliased) && (aliased.IsGenericTypeDefinition ? aliased.GetGenericArguments().Length : 0) == arity
                ? aliased
                : null;
        }
    }

    private static Dictionary<string, Type> FindAliases(Assembly[] assemblies)
    {
        var aliases = new Dictionary<string, Type>(StringComparer.Ordinal);
        string serialization = typeof(AliasAttribute).Assembly.GetName().Name!;
        foreach (Assembly assembly in assemblies)
        {
            if (assembly.IsDynamic || (assembly != typeof(AliasAttribute).Assembly && !assembly.GetReferencedAssemblies().Any(r => r.Name == serialization || r.Name == "Actors.Abstractions")))
            {
                continue;
            }

            Type[] types;
            try
            {
                types = assembly.GetTypes();
            }
            catch (ReflectionTypeLoadException ex)
            {
                types = [.. ex.Types.OfType<Type>()];
            }

            foreach (Type type in types)
            {
                if (type.GetCustomAttribute<AliasAttribute>(inherit: false) is { } alias)
                {
                    aliases.TryAdd(alias.Alias, type);
                }
            }
        }

        return aliases;
    }

    private static void AppendDefinitionName(StringBuilder builder, Type definition)
    {
        if (definition.DeclaringType is { } outer)
        {
            AppendDefinitionName(builder, outer.IsGenericType ? outer.GetGenericTypeDefinition() : outer);
            builder.Append('+');
        }
        else if (!string.IsNullOrEmpty(definition.Namespace))
        {
            builder.Append(definition.Namespace).Append('.');
        }

        // The arity suffix (List`1) is implied by the argument list that follows.
        string name = definition.Name;
        int tick = name.IndexOf('`', StringComparison.Ordinal);
        builder.Append(tick < 0 ? name : name.AsSpan(0, tick));
    }
}
