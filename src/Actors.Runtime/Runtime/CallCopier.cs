using System.Collections.Concurrent;
using System.Numerics;
using System.Reflection;
using Actors.Invocation;
using Actors.Serialization;

namespace Actors.Runtime;

/// <summary>
/// The in-silo copy rule: a call argument or result whose runtime type is immutable is passed by reference; any other
/// value is deep-copied by the serializer's <see cref="DeepCopier"/> (generated copiers, shared references and cycles
/// kept, <see cref="ImmutableAttribute"/> members shared) so caller and callee never share mutable objects. A value with
/// no copier fails the call with <see cref="CodecNotFoundException"/> naming its type. See docs/architecture.md.
/// </summary>
/// <remarks>
/// Immutable: null; primitives, enums, string, decimal, Guid, date/time types, Uri, Version, BigInteger, Int128,
/// GrainId, CancellationToken; grain and observer references; types marked <see cref="ImmutableAttribute"/>; Nullable of an
/// immutable type; System.Collections.Immutable types of immutable elements; and any type (records included) whose
/// instance fields, up the inheritance chain, are all readonly (for classes) and of sealed or value types that are
/// themselves immutable. Decided once per type and cached. Thread-safe.
/// </remarks>
internal sealed class CallCopier(DeepCopier copier)
{
    private static readonly ConcurrentDictionary<Type, bool> Immutability = new();

    private static readonly HashSet<Type> KnownImmutable =
    [
        typeof(string), typeof(decimal), typeof(Guid), typeof(DateTime), typeof(DateTimeOffset), typeof(TimeSpan),
        typeof(DateOnly), typeof(TimeOnly), typeof(Uri), typeof(Version), typeof(BigInteger), typeof(Int128),
        typeof(UInt128), typeof(Half), typeof(GrainId), typeof(CancellationToken),
    ];

    public object? Copy(object? value)
    {
        if (value is null || IsImmutable(value.GetType()))
        {
            return value;
        }

        return copier.Copy(value);
    }

    /// <summary>Copies <paramref name="method"/>'s result; a copy failure names the method's result in its member path.</summary>
    public object? CopyResult(object? value, GrainMethod method)
    {
        try
        {
            return Copy(value);
        }
        catch (Exception ex) when (CallPaths.Result(ex, method))
        {
            throw; // not reached: the filter only records the result in the error's member path
        }
    }

    /// <summary>Copies the arguments that need it; returns the same array when none does. A copy failure names the parameter in its member path.</summary>
    public object?[] CopyArguments(object?[] arguments, GrainMethod method)
    {
        object?[]? copy = null;
        for (int i = 0; i < arguments.Length; i++)
        {
            object? value = arguments[i];
            if (value is null || IsImmutable(value.GetType()))
            {
                continue;
            }

            copy ??= (object?[])arguments.Clone();
            try
            {
                copy[i] = Copy(value);
            }
            catch (Exception ex) when (CallPaths.Argument(ex, method, i))
            {
                throw; // not reached: the filter only records the parameter in the error's member path
            }
        }

        return copy ?? arguments;
    }

    public static bool IsImmutable(Type type) => Immutability.TryGetValue(type, out bool known) ? known : Decide(type, []);

    private static bool Decide(Type type, HashSet<Type> inProgress)
    {
        if (Immutability.TryGetValue(type, out bool known))
        {
            return known;
        }

        if (!inProgress.Add(type))
        {
            return true;
        }

        bool result = Classify(type, inProgress);
        inProgress.Remove(type);
        Immutability[type] = result;
        return result;
    }

    private static bool Classify(Type type, HashSet<Type> inProgress)
    {
        if (type.IsPrimitive || type.IsEnum || KnownImmutable.Contains(type) || typeof(IGrainReference).IsAssignableFrom(type)
            || type.IsDefined(typeof(ImmutableAttribute), inherit: false))
        {
            return true;
        }

        if (type.IsInterface)
        {
            return typeof(IAddressable).IsAssignableFrom(type);
        }

        if (type.IsArray || type.IsPointer || typeof(Delegate).IsAssignableFrom(type) || type == typeof(object) || type.IsAbstract)
        {
            return false;
        }

        if (type.IsGenericType)
        {
            Type definition = type.GetGenericTypeDefinition();
            if (definition == typeof(Nullable<>) || definition.Namespace == "System.Collections.Immutable")
            {
                return type.GetGenericArguments().All(t => FieldTypeIsImmutable(t, inProgress));
            }
        }

        for (Type? current = type; current is not null && current != typeof(object) && current != typeof(ValueType); current = current.BaseType)
        {
            foreach (FieldInfo field in current.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            {
                if ((!type.IsValueType && !field.IsInitOnly) || !FieldTypeIsImmutable(field.FieldType, inProgress))
                {
                    return false;
                }
            }
        }

        return true;
    }

    private static bool FieldTypeIsImmutable(Type fieldType, HashSet<Type> inProgress)
    {
        // A field of a non-sealed class type may hold a mutable subclass; only sealed and value types are decidable.
        if (!fieldType.IsValueType && !fieldType.IsSealed && !fieldType.IsInterface && fieldType != typeof(string))
        {
            return fieldType.IsDefined(typeof(ImmutableAttribute), inherit: false);
        }

        return Decide(fieldType, inProgress);
    }
}
