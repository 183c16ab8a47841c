using Microsoft.CodeAnalysis;

namespace Actors.CodeGenerator.Analysis;

/// <summary>
/// Decides at compile time which types copies may share (the serializer's runtime rule): scalars, enums, exceptions,
/// grain references, [Immutable] types, and sealed classes or structs whose instance fields are all readonly (for
/// classes) and of such types; tuples, pairs, nullables and System.Collections.Immutable collections of such types.
/// </summary>
internal sealed class Immutability(KnownSymbols known)
{
    private static readonly HashSet<string> KnownImmutable = new(StringComparer.Ordinal)
    {
        "global::System.Guid", "global::System.DateTimeOffset", "global::System.TimeSpan", "global::System.DateOnly",
        "global::System.TimeOnly", "global::System.Uri", "global::System.Version", "global::System.Numerics.BigInteger",
        "global::System.Int128", "global::System.UInt128", "global::System.Half", "global::System.Threading.CancellationToken",
    };

    private static readonly HashSet<string> StructuralDefinitions = new(StringComparer.Ordinal)
    {
        "System.Nullable`1", "System.Collections.Generic.KeyValuePair`2",
        "System.ValueTuple`1", "System.ValueTuple`2", "System.ValueTuple`3", "System.ValueTuple`4", "System.ValueTuple`5",
        "System.ValueTuple`6", "System.ValueTuple`7", "System.ValueTuple`8",
        "System.Tuple`1", "System.Tuple`2", "System.Tuple`3", "System.Tuple`4", "System.Tuple`5", "System.Tuple`6",
        "System.Tuple`7", "System.Tuple`8",
    };

    private readonly Dictionary<ITypeSymbol, bool> _decided = new(SymbolEqualityComparer.Default);

    /// <summary>Whether every value of <paramref name="type"/> (including instances of derived types) can be shared.</summary>
    public bool IsShallowCopyable(ITypeSymbol type) => Decide(type, new HashSet<ITypeSymbol>(SymbolEqualityComparer.Default));

    /// <summary>
    /// Whether instances whose runtime type is exactly <paramref name="type"/> can be shared: like
    /// <see cref="IsShallowCopyable"/> but a non-sealed class qualifies (its derived types are copied by their own copiers).
    /// </summary>
    public bool IsImmutableLayout(INamedTypeSymbol type)
    {
        if (type.IsValueType || type.IsSealed || type.IsAbstract || !type.Locations.Any(location => location.IsInSource))
        {
            return !type.IsAbstract && IsShallowCopyable(type);
        }

        var inProgress = new HashSet<ITypeSymbol>(SymbolEqualityComparer.Default) { type };
        return KnownSymbols.HasAttribute(type, known.Immutable) || FieldsAreImmutable(type, type, inProgress);
    }

    private bool Decide(ITypeSymbol type, HashSet<ITypeSymbol> inProgress)
    {
        if (_decided.TryGetValue(type, out bool decided))
        {
            return decided;
        }

        if (!inProgress.Add(type))
        {
            return true;
        }

        bool result = Classify(type, inProgress);
        inProgress.Remove(type);
        _decided[type] = result;
        return result;
    }

    private bool Classify(ITypeSymbol type, HashSet<ITypeSymbol> inProgress)
    {
        if (type.SpecialType is (>= SpecialType.System_Boolean and <= SpecialType.System_UIntPtr) or SpecialType.System_DateTime)
        {
            return true;
        }

        if (type.TypeKind == TypeKind.Enum || KnownImmutable.Contains(TypeNames.Code(type)) || known.IsException(type)
            || known.IsGrainInterface(type) || KnownSymbols.HasAttribute(type, known.Immutable))
        {
            return true;
        }

        if (type is not INamedTypeSymbol named || type.TypeKind is TypeKind.Interface or TypeKind.Delegate or TypeKind.TypeParameter
            || type.IsAbstract || type.SpecialType == SpecialType.System_Object)
        {
            return false;
        }

        if (named.IsGenericType)
        {
            string definition = TypeNames.MetadataFullName(named.ConstructedFrom);
            if (StructuralDefinitions.Contains(definition) || definition.StartsWith("System.Collections.Immutable.", StringComparison.Ordinal))
            {
                return named.TypeArguments.All(argument => Decide(argument, inProgress));
            }

            if (definition.StartsWith("System.", StringComparison.Ordinal))
            {
                return false;
            }
        }

        // Private fields of types from other assemblies are not visible here: only types declared in source are inspected.
        if ((!named.IsValueType && !named.IsSealed) || !named.Locations.Any(location => location.IsInSource))
        {
            return false;
        }

        return FieldsAreImmutable(named, named, inProgress);
    }

    private bool FieldsAreImmutable(INamedTypeSymbol named, INamedTypeSymbol start, HashSet<ITypeSymbol> inProgress)
    {
        for (INamedTypeSymbol? current = start; current is not null && current.SpecialType is not (SpecialType.System_Object or SpecialType.System_ValueType); current = current.BaseType)
        {
            foreach (IFieldSymbol field in current.GetMembers().OfType<IFieldSymbol>())
            {
                if (field.IsStatic || field.IsConst)
                {
                    continue;
                }

                if ((!named.IsValueType && !field.IsReadOnly) || !FieldTypeIsImmutable(field.Type, inProgress))
                {
                    return false;
                }
            }
        }

        return true;
    }

    private bool FieldTypeIsImmutable(ITypeSymbol fieldType, HashSet<ITypeSymbol> inProgress)
    {
        if (!fieldType.IsValueType && !fieldType.IsSealed && fieldType.SpecialType != SpecialType.System_String)
        {
            return KnownSymbols.HasAttribute(fieldType, known.Immutable) || known.IsGrainInterface(fieldType) || known.IsException(fieldType);
        }

        return Decide(fieldType, inProgress);
    }
}
