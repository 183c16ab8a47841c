using System.Collections.Immutable;
using Actors.CodeGenerator.Diagnostics;
using Actors.CodeGenerator.Model;
using Microsoft.CodeAnalysis;

namespace Actors.CodeGenerator.Analysis;

/// <summary>Turns a [GenerateSerializer] type symbol into the <see cref="TypeModel"/> the emitters use, or diagnostics.</summary>
internal sealed class TypeModelBuilder(KnownSymbols known)
{
    private readonly Immutability _immutability = new(known);

    /// <summary>Builds the model; returns null (with diagnostics) when no code can be generated.</summary>
    public TypeModel? Build(INamedTypeSymbol type, List<Diagnostic> diagnostics)
    {
        if (!IsAccessible(type))
        {
            diagnostics.Add(Diagnostic.Create(Descriptors.InaccessibleType, type.Locations.FirstOrDefault(), TypeNames.Message(type)));
            return null;
        }

        string? alias = KnownSymbols.GetAttribute(type, known.Alias)?.ConstructorArguments.FirstOrDefault().Value as string;
        List<INamedTypeSymbol> chain = ContainingChain(type);
        var typeParameters = chain.SelectMany(t => t.TypeParameters).ToImmutableArray();
        if (type.TypeKind == TypeKind.Enum)
        {
            return new TypeModel(TypeNames.Code(type), TypeNames.Unbound(type), TypeNames.Message(type), "Codec_" + TypeNames.Identifier(type),
                default, default, true, true, false, true, BaseLayerKind.None, null, alias, CreationKind.Default, true, true, default);
        }

        List<SerializedMember> serialized = SerializedMembers.Collect(type, known);
        if (serialized.GroupBy(m => m.Id).Any(g => g.Count() > 1))
        {
            return null; // ACT1001 (DuplicateIdAnalyzer) reports it.
        }

        foreach (IParameterSymbol parameter in SerializedMembers.UnmatchedIdParameters(type, known))
        {
            diagnostics.Add(Diagnostic.Create(Descriptors.UnsettableMember, parameter.Locations.FirstOrDefault(), parameter.Name, TypeNames.Message(type),
                "a primary constructor parameter is serialized through the property of the same name, and there is none; declare one"));
        }

        var members = ImmutableArray.CreateBuilder<MemberModel>();
        foreach (SerializedMember member in serialized.OrderBy(m => m.Id))
        {
            if (BuildMember(type, member, diagnostics) is { } model)
            {
                members.Add(model);
            }
        }

        (BaseLayerKind baseLayer, string? baseName) = BaseLayer(type);
        var hooks = KnownSymbols.GetAttribute(type, known.SerializationCallbacks)?.ConstructorArguments.FirstOrDefault().Value as INamedTypeSymbol;
        bool isException = known.IsException(type);
        return new TypeModel(
            TypeNames.Code(type),
            type.IsGenericType || chain.Any(t => t.IsGenericType) ? TypeNames.Unbound(type) : TypeNames.Code(type),
            TypeNames.Message(type),
            "Codec_" + TypeNames.Identifier(type),
            new EquatableArray<string>(typeParameters.Select(p => p.Name).ToImmutableArray()),
            new EquatableArray<string>(typeParameters.Select(Constraint).Where(c => c.Length != 0).ToImmutableArray()),
            type.IsValueType,
            type.IsValueType || type.IsSealed,
            isException,
            false,
            baseLayer,
            baseName,
            alias,
            Creation(type),
            !isException && typeParameters.IsEmpty && (KnownSymbols.HasAttribute(type, known.Immutable) || _immutability.IsShallowCopyable(type)),
            !isException && typeParameters.IsEmpty && _immutability.IsImmutableLayout(type),
            new EquatableArray<MemberModel>(members.ToImmutable()),
            hooks is null ? null : TypeNames.Code(hooks),
            new EquatableArray<string>(HookMethods(type, hooks)));
    }

    private static readonly string[] HookNames = ["OnSerializing", "OnSerialized", "OnDeserializing", "OnDeserialized", "OnCopied"];

    /// <summary>The hook methods of a [SerializationCallbacks] class that take the type (OnCopied: the original and the copy).</summary>
    private static ImmutableArray<string> HookMethods(INamedTypeSymbol type, INamedTypeSymbol? hooks) =>
        hooks is null
            ? ImmutableArray<string>.Empty
            : [.. HookNames.Where(name => hooks.GetMembers(name).OfType<IMethodSymbol>().Any(method =>
                !method.IsStatic && method.DeclaredAccessibility is Accessibility.Public or Accessibility.Internal
                && method.Parameters.Length == (name == "OnCopied" ? 2 : 1)
                && method.Parameters.All(p => p.RefKind == RefKind.None && SymbolEqualityComparer.Default.Equals(p.Type, type))))];

    private MemberModel? BuildMember(INamedTypeSymbol owner, SerializedMember member, List<Diagnostic> diagnostics)
    {
        ITypeSymbol type = member.Type;
        bool shallow = KnownSymbols.HasAttribute(member.Symbol, known.Immutable) || _immutability.IsShallowCopyable(type);
        string? format = ScalarFormats.Of(type);
        bool isEnum = type.TypeKind == TypeKind.Enum;
        if (member.Symbol is IFieldSymbol field)
        {
            bool accessible = IsAccessible(field);
            return new MemberModel(member.Id, field.Name, TypeNames.Code(type), format, isEnum, shallow,
                accessible ? AccessKind.Direct : AccessKind.Field,
                accessible && !field.IsReadOnly ? AccessKind.Direct : AccessKind.Field,
                field.MetadataName);
        }

        var property = (IPropertySymbol)member.Symbol;
        IFieldSymbol? backing = SerializedMembers.BackingField(property);
        AccessKind? read = property.GetMethod is { } getter && IsAccessible(getter) ? AccessKind.Direct
            : backing is not null ? AccessKind.Field
            : property.GetMethod is not null ? AccessKind.Method
            : null;
        AccessKind? write = property.SetMethod is { IsInitOnly: false } setter && IsAccessible(setter) ? AccessKind.Direct
            : backing is not null ? AccessKind.Field
            : property.SetMethod is not null ? AccessKind.Method
            : null;
        if (read is null || write is null)
        {
            diagnostics.Add(Diagnostic.Create(Descriptors.UnsettableMember, member.Location, property.Name, TypeNames.Message(owner),
                read is null ? "it has no getter" : "it has no setter, init accessor or backing field; give it one, or serialize the field it computes from"));
            return null;
        }

        return new MemberModel(member.Id, property.Name, TypeNames.Code(type), format, isEnum, shallow, read.Value, write.Value, backing?.MetadataName);
    }

    private (BaseLayerKind Kind, string? Name) BaseLayer(INamedTypeSymbol type)
    {
        if (type.IsValueType || type.BaseType is not { } baseType || baseType.SpecialType == SpecialType.System_Object)
        {
            return (BaseLayerKind.None, null);
        }

        if (KnownSymbols.HasAttribute(baseType.OriginalDefinition, known.GenerateSerializer))
        {
            return (BaseLayerKind.Generated, TypeNames.Code(baseType));
        }

        return known.IsException(type) ? (BaseLayerKind.Exception, null) : (BaseLayerKind.None, null);
    }

    private static CreationKind Creation(INamedTypeSymbol type)
    {
        if (type.IsAbstract)
        {
            return CreationKind.None;
        }

        bool parameterless = type.InstanceConstructors.Any(c => c.Parameters.Length == 0 && IsAccessible(c) && !(type.IsValueType && c.IsImplicitlyDeclared));
        if (type.IsValueType)
        {
            return parameterless ? CreationKind.New : CreationKind.Default;
        }

        bool required = false;
        for (INamedTypeSymbol? current = type; current is not null; current = current.BaseType)
        {
            required |= current.GetMembers().Any(m => m is IPropertySymbol { IsRequired: true } or IFieldSymbol { IsRequired: true });
        }

        return parameterless && !required ? CreationKind.New : CreationKind.Uninitialized;
    }

    private static string Constraint(ITypeParameterSymbol parameter)
    {
        var parts = new List<string>();
        if (parameter.HasReferenceTypeConstraint)
        {
            parts.Add("class");
        }
        else if (parameter.HasUnmanagedTypeConstraint)
        {
            parts.Add("unmanaged");
        }
        else if (parameter.HasValueTypeConstraint)
        {
            parts.Add("struct");
        }
        else if (parameter.HasNotNullConstraint)
        {
            parts.Add("notnull");
        }

        parts.AddRange(parameter.ConstraintTypes.Select(TypeNames.Code));
        if (parameter.HasConstructorConstraint && !parameter.HasValueTypeConstraint)
        {
            parts.Add("new()");
        }

        return parts.Count == 0 ? string.Empty : $"where {parameter.Name} : {string.Join(", ", parts)}";
    }

    private static List<INamedTypeSymbol> ContainingChain(INamedTypeSymbol type)
    {
        var chain = new List<INamedTypeSymbol>();
        for (INamedTypeSymbol? current = type; current is not null; current = current.ContainingType)
        {
            chain.Insert(0, current);
        }

        return chain;
    }

    private static bool IsAccessible(ISymbol symbol)
    {
        for (ISymbol? current = symbol; current is not null and not INamespaceSymbol; current = current.ContainingType)
        {
            if (current.DeclaredAccessibility is not (Accessibility.Public or Accessibility.Internal or Accessibility.ProtectedOrInternal))
            {
                return false;
            }
        }

        return true;
    }
}
