using System.Collections.Concurrent;
using System.Numerics;
using System.Reflection;
using Actors.Serialization.Hooks;

namespace Actors.Serialization.Cloning;

/// <summary>
/// Decides which types deep copies may share instead of copying: types that cannot change after construction.
/// </summary>
internal static class ImmutableTypes
{
    private static readonly HashSet<Type> KnownImmutable =
    [
        typeof(string), typeof(decimal), typeof(Guid), typeof(DateTime), typeof(DateTimeOffset), typeof(TimeSpan),
        typeof(DateOnly), typeof(TimeOnly), typeof(Uri), typeof(Version), typeof(BigInteger), typeof(Int128),
        typeof(UInt128), typeof(Half), typeof(CancellationToken), typeof(GrainReferenceWireType),
    ];

    private static readonly HashSet<Type> StructuralDefinitions =
    [
        typeof(Nullable<>), typeof(KeyValuePair<,>),
        typeof(ValueTuple<>), typeof(ValueTuple<,>), typeof(ValueTuple<,,>), typeof(ValueTuple<,,,>), typeof(ValueTuple<,,,,>),
        typeof(ValueTuple<,,,,,>), typeof(ValueTuple<,,,,,,>), typeof(ValueTuple<,,,,,,,>),
        typeof(Tuple<>), typeof(Tuple<,>), typeof(Tuple<,,>), typeof(Tuple<,,,>), typeof(Tuple<,,,,>), typeof(Tuple<,,,,,>),
        typeof(Tuple<,,,,,,>), typeof(Tuple<,,,,,,,>),
    ];

    private static readonly ConcurrentDictionary<Type, bool> Inferred = new();

    /// <summary>
    /// True for primitives, enums, strings and the BCL's immutable value types, exceptions (shared by reference, as
    /// in-silo calls always did), grain references, types marked <see cref="ImmutableAttribute"/>, and tuples, pairs and
    /// nullables of such types. Members typed <see cref="object"/> are copied by their runtime type.
    /// </summary>
    public static bool IsShallowCopyable(Type type, CodecProvider provider)
    {
        if (type.IsPrimitive || type.IsEnum || KnownImmutable.Contains(type) || typeof(Exception).IsAssignableFrom(type)
            || type.IsDefined(typeof(ImmutableAttribute), inherit: false) || provider.IsGrainReference(type))
        {
            return true;
        }

        return type.IsConstructedGenericType && StructuralDefinitions.Contains(type.GetGenericTypeDefinition())
            && type.GenericTypeArguments.All(argument => IsShallowCopyable(argument, provider));
    }

    /// <summary>
    /// The rule in-silo calls have always applied to types without a copier: a type whose instance fields, up the
    /// inheritance chain, are all readonly (for classes) and of sealed or value types that are themselves immutable
    /// (so positional records of immutable members qualify).
    /// </summary>
    public static bool IsInferredImmutable(Type type, CodecProvider provider) =>
        Inferred.TryGetValue(type, out bool known) ? known : Decide(type, provider, []);

    private static bool Decide(Type type, CodecProvider provider, HashSet<Type> inProgress)
    {
        if (Inferred.TryGetValue(type, out bool known))
        {
            return known;
        }

        if (!inProgress.Add(type))
        {
            return true;
        }

        bool result = Classify(type, provider, inProgress);
        inProgress.Remove(type);
        Inferred[type] = result;
        return result;
    }

    private static bool Classify(Type type, CodecProvider provider, HashSet<Type> inProgress)
    {
        if (IsShallowCopyable(type, provider))
        {
            return true;
        }

        if (type.IsConstructedGenericType && type.Namespace == "System.Collections.Immutable")
        {
            return type.GenericTypeArguments.All(argument => FieldTypeIsImmutable(argument, provider, inProgress));
        }

        if (type.IsInterface || type.IsArray || type.IsPointer || type.IsAbstract || typeof(Delegate).IsAssignableFrom(type))
        {
            return false;
        }

        for (Type? current = type; current is not null && current != typeof(object) && current != typeof(ValueType); current = current.BaseType)
        {
            foreach (FieldInfo field in current.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            {
                if ((!type.IsValueType && !field.IsInitOnly) || !FieldTypeIsImmutable(field.FieldType, provider, inProgress))
                {
                    return false;
                }
            }
        }

        return true;
    }

    private static bool FieldTypeIsImmutable(Type fieldType, CodecProvider provider, HashSet<Type> inProgress)
    {
        // A field of a non-sealed class type may hold a mutable subclass: only sealed and value types are decidable.
        if (!fieldType.IsValueType && !fieldType.IsSealed && !fieldType.IsInterface && fieldType != typeof(object))
        {
            return fieldType.IsDefined(typeof(ImmutableAttribute), inherit: false) || IsShallowCopyable(fieldType, provider);
        }

        return fieldType != typeof(object) && Decide(fieldType, provider, inProgress);
    }
}
