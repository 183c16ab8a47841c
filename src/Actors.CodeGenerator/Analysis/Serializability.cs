using Microsoft.CodeAnalysis;

namespace Actors.CodeGenerator.Analysis;

/// <summary>The verdict on a type that crosses a grain boundary or is a serialized member's type.</summary>
internal enum Verdict
{
    /// <summary>The serializer can carry it (or decides by the runtime value: interfaces, abstract classes, object).</summary>
    Serializable,

    /// <summary>No value of this type can ever be serialized (a pointer, delegate, ref struct, task, stream...).</summary>
    NotSerializable,

    /// <summary>A concrete type of the application without [GenerateSerializer] or a registered converter or codec.</summary>
    MissingGenerateSerializer,
}

/// <summary>The verdict, the type it is about (the type itself or a type argument or element type in it) and why.</summary>
internal readonly record struct Classification(Verdict Verdict, ITypeSymbol? Culprit, string? Reason);

/// <summary>
/// Decides at compile time whether the serializer can carry a type. It errs on the side of "serializable" where only the
/// runtime value decides (interfaces, abstract classes, object); the runtime still refuses a value without a codec.
/// </summary>
internal sealed class Serializability(KnownSymbols known, ISet<ITypeSymbol> registeredTargets)
{
    private static readonly HashSet<string> BuiltInDefinitions = new(StringComparer.Ordinal)
    {
        "System.Guid", "System.DateTimeOffset", "System.TimeSpan", "System.DateOnly", "System.TimeOnly", "System.Uri",
        "System.Version", "System.Type", "System.Numerics.BigInteger", "System.Int128", "System.UInt128", "System.Half",
        "System.Threading.CancellationToken", "System.Nullable`1", "System.ReadOnlyMemory`1", "System.Memory`1",
        "System.Collections.Generic.List`1", "System.Collections.Generic.Dictionary`2", "System.Collections.Generic.HashSet`1",
        "System.Collections.Generic.KeyValuePair`2", "System.Collections.Generic.Queue`1", "System.Collections.Generic.Stack`1",
        "System.Collections.Generic.SortedDictionary`2", "System.Collections.Generic.SortedSet`1", "System.Collections.Generic.SortedList`2",
        "System.Collections.Generic.LinkedList`1", "System.Collections.Concurrent.ConcurrentDictionary`2",
        "System.Collections.ObjectModel.ReadOnlyCollection`1", "System.Collections.ObjectModel.ReadOnlyDictionary`2",
        "System.Collections.Immutable.ImmutableArray`1", "System.Collections.Immutable.ImmutableList`1",
        "System.Collections.Immutable.ImmutableDictionary`2", "System.Collections.Immutable.ImmutableHashSet`1",
        "System.Collections.Immutable.ImmutableSortedDictionary`2", "System.Collections.Immutable.ImmutableSortedSet`1",
        "System.Collections.Immutable.ImmutableQueue`1", "System.Collections.Immutable.ImmutableStack`1",
        "System.ValueTuple`1", "System.ValueTuple`2", "System.ValueTuple`3", "System.ValueTuple`4", "System.ValueTuple`5",
        "System.ValueTuple`6", "System.ValueTuple`7", "System.ValueTuple`8",
        "System.Tuple`1", "System.Tuple`2", "System.Tuple`3", "System.Tuple`4", "System.Tuple`5", "System.Tuple`6",
        "System.Tuple`7", "System.Tuple`8",
    };

    private static readonly Dictionary<string, string> NeverSerializable = new(StringComparer.Ordinal)
    {
        ["System.Threading.Tasks.Task"] = "a task is a running operation, not data",
        ["System.Threading.Tasks.Task`1"] = "a task is a running operation, not data",
        ["System.Threading.Tasks.ValueTask"] = "a task is a running operation, not data",
        ["System.Threading.Tasks.ValueTask`1"] = "a task is a running operation, not data",
        ["System.IO.Stream"] = "a stream is a live resource; pass its bytes (byte[] or ReadOnlyMemory<byte>)",
        ["System.Threading.CancellationTokenSource"] = "pass its CancellationToken instead",
        ["System.Threading.Thread"] = "a thread is a live resource",
        ["System.IServiceProvider"] = "services do not cross the wire",
    };

    public Classification Classify(ITypeSymbol type)
    {
        switch (type)
        {
            case ITypeParameterSymbol:
                return Ok;
            case IArrayTypeSymbol array:
                return Classify(array.ElementType);
            case IPointerTypeSymbol or IFunctionPointerTypeSymbol:
                return new(Verdict.NotSerializable, type, "pointers cannot be serialized");
            case IDynamicTypeSymbol:
                return Ok;
        }

        if (type.IsRefLikeType)
        {
            return new(Verdict.NotSerializable, type, "a ref struct (such as Span<T>) cannot be stored or serialized; use an array or ReadOnlyMemory<byte>");
        }

        if (type.TypeKind == TypeKind.Delegate)
        {
            return new(Verdict.NotSerializable, type, "delegates cannot be serialized");
        }

        if (type.TypeKind == TypeKind.Enum || type.SpecialType is (>= SpecialType.System_Object and <= SpecialType.System_String and not SpecialType.System_Void
                and not SpecialType.System_MulticastDelegate and not SpecialType.System_Delegate) or SpecialType.System_IntPtr or SpecialType.System_UIntPtr
                or SpecialType.System_DateTime)
        {
            return Ok;
        }

        if (known.IsException(type) || known.IsGrainInterface(type) || type is not INamedTypeSymbol named)
        {
            return Ok;
        }

        string definition = TypeNames.MetadataFullName(named.OriginalDefinition);
        for (INamedTypeSymbol? current = named.OriginalDefinition; current is not null; current = current.BaseType)
        {
            if (NeverSerializable.TryGetValue(TypeNames.MetadataFullName(current), out string? reason))
            {
                return new(Verdict.NotSerializable, type, reason);
            }
        }

        if (BuiltInDefinitions.Contains(definition) || KnownSymbols.HasAttribute(named.OriginalDefinition, known.GenerateSerializer)
            || registeredTargets.Contains(named.OriginalDefinition) || named.TypeKind == TypeKind.Interface || named.IsAbstract)
        {
            return ClassifyArguments(named);
        }

        if (IsFrameworkType(named))
        {
            return new(Verdict.NotSerializable, type, "the serializer has no codec for this framework type");
        }

        return new(Verdict.MissingGenerateSerializer, type, null);
    }

    private static Classification Ok => new(Verdict.Serializable, null, null);

    private Classification ClassifyArguments(INamedTypeSymbol type)
    {
        foreach (ITypeSymbol argument in type.TypeArguments)
        {
            Classification verdict = Classify(argument);
            if (verdict.Verdict != Verdict.Serializable)
            {
                return verdict;
            }
        }

        return Ok;
    }

    private static bool IsFrameworkType(INamedTypeSymbol type)
    {
        string? ns = type.ContainingNamespace?.ToDisplayString();
        return ns is not null && (ns == "System" || ns.StartsWith("System.", StringComparison.Ordinal) || ns.StartsWith("Microsoft.", StringComparison.Ordinal));
    }
}
