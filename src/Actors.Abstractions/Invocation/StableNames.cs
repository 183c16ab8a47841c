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
    public static string ForMethod(MethodInfo method)
    {
        ArgumentNullException.ThrowIfNull(method);
        var builder = new StringBuilder();
        Append(builder, method.DeclaringType!);
        builder.Append('.');
        if (method.GetCustomAttribute<AliasAttribute>(inherit: false) is { } alias)
        {
            return builder.Append(alias.Alias).ToString();
        }

        builder.Append(method.Name);
        if (method.IsGenericMethodDefinition)
        {
            builder.Append('`').Append(method.GetGenericArguments().Length);
        }

        builder.Append('(');
        ParameterInfo[] parameters = method.GetParameters();
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
