using Microsoft.CodeAnalysis;

namespace Actors.CodeGenerator.Analysis;

/// <summary>How generated code and messages spell types.</summary>
internal static class TypeNames
{
    /// <summary>global::-qualified, with keywords for special types.</summary>
    public static readonly SymbolDisplayFormat Qualified = SymbolDisplayFormat.FullyQualifiedFormat
        .WithMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.EscapeKeywordIdentifiers | SymbolDisplayMiscellaneousOptions.UseSpecialTypes);

    /// <summary>For messages: namespace-qualified, no global::.</summary>
    public static readonly SymbolDisplayFormat Display = SymbolDisplayFormat.CSharpErrorMessageFormat
        .RemoveMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

    public static string Code(ITypeSymbol type) => type.ToDisplayString(Qualified);

    public static string Message(ISymbol symbol) => symbol.ToDisplayString(Display);

    /// <summary>The CLR full name without generic arity marks resolved (Ns.Outer+Inner`1), the runtime's Type.FullName of a definition.</summary>
    public static string MetadataFullName(INamedTypeSymbol type)
    {
        string name = type.MetadataName;
        for (INamedTypeSymbol? container = type.ContainingType; container is not null; container = container.ContainingType)
        {
            name = container.MetadataName + "+" + name;
            type = container;
        }

        return type.ContainingNamespace is { IsGlobalNamespace: false } ns ? ns.ToDisplayString() + "." + name : name;
    }

    /// <summary>The type in typeof() with its own and its containers' type arguments left out (global::Ns.Outer&lt;&gt;.Inner&lt;,&gt;).</summary>
    public static string Unbound(INamedTypeSymbol type)
    {
        string own = type.Name + (type.TypeParameters.Length == 0 ? string.Empty : "<" + new string(',', type.TypeParameters.Length - 1) + ">");
        if (type.ContainingType is { } container)
        {
            return Unbound(container) + "." + own;
        }

        return type.ContainingNamespace is { IsGlobalNamespace: false } ns ? "global::" + ns.ToDisplayString() + "." + own : "global::" + own;
    }

    /// <summary>A C# identifier derived from the type's full metadata name, unique within an assembly.</summary>
    public static string Identifier(INamedTypeSymbol type)
    {
        char[] chars = MetadataFullName(type).ToCharArray();
        for (int i = 0; i < chars.Length; i++)
        {
            if (!char.IsLetterOrDigit(chars[i]))
            {
                chars[i] = '_';
            }
        }

        return new string(chars);
    }
}
