using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Actors.CodeGenerator.Analysis;

/// <summary>
/// Decides which members of a type are serialized and their ids (Orleans's rules): members with [Id]; for records (or
/// with IncludePrimaryConstructorParameters) properties matching a primary constructor parameter, with the parameter's
/// [Id] or its position; with GenerateFieldIds.PublicProperties and no explicit id, public settable properties in
/// declaration order. [NonSerialized] members are never serialized.
/// </summary>
internal static class SerializedMembers
{
    /// <summary>The serialized members declared by <paramref name="type"/> (not its bases), in declaration order.</summary>
    public static List<SerializedMember> Collect(INamedTypeSymbol type, KnownSymbols known)
    {
        AttributeData? generate = KnownSymbols.GetAttribute(type, known.GenerateSerializer);
        bool includeParameters = type.IsRecord || NamedArgument(generate, "IncludePrimaryConstructorParameters") is true;
        bool publicProperties = NamedArgument(generate, "GenerateFieldIds") is int mode && mode == 1;
        IMethodSymbol? primary = PrimaryConstructor(type);
        var result = new List<SerializedMember>();
        foreach (ISymbol member in type.GetMembers())
        {
            if (member.IsStatic || member is not (IFieldSymbol or IPropertySymbol) || IsExcluded(member, known))
            {
                continue;
            }

            if (member is IFieldSymbol { IsImplicitlyDeclared: true } or IFieldSymbol { IsConst: true } or IPropertySymbol { IsIndexer: true })
            {
                continue;
            }

            if (member is IPropertySymbol { IsImplicitlyDeclared: true } synthesized && !IsPositional(synthesized, primary))
            {
                continue; // EqualityContract and the like
            }

            if (ExplicitId(member, known) is { } explicitId)
            {
                result.Add(new SerializedMember(member, explicitId.Id, explicitId.Location));
                continue;
            }

            if (member is IPropertySymbol property && includeParameters && Parameter(property, primary) is { } parameter)
            {
                uint id = IdOf(parameter, known) ?? (uint)primary!.Parameters.IndexOf(parameter);
                result.Add(new SerializedMember(member, id, LocationOf(parameter, member)));
            }
        }

        if (result.Count == 0 && publicProperties)
        {
            uint next = 0;
            foreach (ISymbol member in type.GetMembers())
            {
                if (member is IPropertySymbol { IsStatic: false, IsIndexer: false, DeclaredAccessibility: Accessibility.Public, GetMethod: not null, SetMethod: not null } property
                    && !IsExcluded(member, known) && !property.IsImplicitlyDeclared)
                {
                    result.Add(new SerializedMember(member, next++, member.Locations.FirstOrDefault() ?? Location.None));
                }
            }
        }

        return result;
    }

    /// <summary>Primary constructor parameters with [Id] that match no property (they cannot be read back).</summary>
    public static IEnumerable<IParameterSymbol> UnmatchedIdParameters(INamedTypeSymbol type, KnownSymbols known)
    {
        if (PrimaryConstructor(type) is not { } primary)
        {
            yield break;
        }

        foreach (IParameterSymbol parameter in primary.Parameters)
        {
            if (IdOf(parameter, known) is not null && !type.GetMembers().OfType<IPropertySymbol>().Any(property => Matches(parameter, property)))
            {
                yield return parameter;
            }
        }
    }

    /// <summary>The primary constructor of a record, class or struct, if it has one.</summary>
    public static IMethodSymbol? PrimaryConstructor(INamedTypeSymbol type) =>
        type.InstanceConstructors.FirstOrDefault(constructor =>
            constructor.DeclaringSyntaxReferences.Any(reference => reference.GetSyntax() is TypeDeclarationSyntax));

    private static bool IsPositional(IPropertySymbol property, IMethodSymbol? primary) => Parameter(property, primary) is not null;

    /// <summary>The primary constructor parameter a property stands for: same name ignoring case and leading '_', same type.</summary>
    private static IParameterSymbol? Parameter(IPropertySymbol property, IMethodSymbol? primary) =>
        primary?.Parameters.FirstOrDefault(p => Matches(p, property));

    private static bool Matches(IParameterSymbol parameter, IPropertySymbol property) =>
        string.Equals(parameter.Name.TrimStart('_'), property.Name.TrimStart('_'), StringComparison.OrdinalIgnoreCase)
        && SymbolEqualityComparer.Default.Equals(parameter.Type, property.Type);

    private static (uint Id, Location Location)? ExplicitId(ISymbol member, KnownSymbols known)
    {
        foreach (ISymbol candidate in WithBackingField(member))
        {
            if (KnownSymbols.GetAttribute(candidate, known.Id) is { } attribute && attribute.ConstructorArguments.Length == 1
                && attribute.ConstructorArguments[0].Value is uint id)
            {
                Location location = attribute.ApplicationSyntaxReference?.GetSyntax().GetLocation() ?? member.Locations.FirstOrDefault() ?? Location.None;
                return (id, location);
            }
        }

        return null;
    }

    private static uint? IdOf(IParameterSymbol parameter, KnownSymbols known) =>
        KnownSymbols.GetAttribute(parameter, known.Id) is { } attribute && attribute.ConstructorArguments.Length == 1
            && attribute.ConstructorArguments[0].Value is uint id ? id : null;

    private static Location LocationOf(IParameterSymbol parameter, ISymbol member) =>
        parameter.Locations.FirstOrDefault() ?? member.Locations.FirstOrDefault() ?? Location.None;

    private static bool IsExcluded(ISymbol member, KnownSymbols known) =>
        WithBackingField(member).Any(candidate => KnownSymbols.HasAttribute(candidate, known.NonSerialized));

    private static IEnumerable<ISymbol> WithBackingField(ISymbol member)
    {
        yield return member;
        if (member is IPropertySymbol property && BackingField(property) is { } field)
        {
            yield return field;
        }
    }

    /// <summary>The compiler-generated field of an auto-property, if it is one.</summary>
    public static IFieldSymbol? BackingField(IPropertySymbol property) =>
        property.ContainingType.GetMembers().OfType<IFieldSymbol>()
            .FirstOrDefault(field => SymbolEqualityComparer.Default.Equals(field.AssociatedSymbol, property));

    private static object? NamedArgument(AttributeData? attribute, string name)
    {
        if (attribute is null)
        {
            return null;
        }

        foreach (KeyValuePair<string, TypedConstant> argument in attribute.NamedArguments)
        {
            if (argument.Key == name)
            {
                return argument.Value.Value;
            }
        }

        return null;
    }
}
