using System.Text;
using Microsoft.CodeAnalysis;

namespace Actors.CodeGenerator.Model;

/// <summary>A grain interface the generator writes a reference and invokers for (equatable, for incremental generation).</summary>
/// <param name="InterfaceName">The interface, fully qualified with nullable annotations.</param>
/// <param name="TypeOfName">The interface as written inside typeof.</param>
/// <param name="ClassName">The generated reference class.</param>
/// <param name="Methods">Every method the reference implements: the interface's own and its base interfaces'.</param>
internal sealed record GrainInterfaceModel(string InterfaceName, string TypeOfName, string ClassName, EquatableArray<GrainMethodModel> Methods)
{
    private static readonly SymbolDisplayFormat Declaration = SymbolDisplayFormat.FullyQualifiedFormat
        .AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

    /// <summary>The model of <paramref name="type"/>, or null when it is not a grain interface the generator can serve.</summary>
    public static GrainInterfaceModel? Build(INamedTypeSymbol type)
    {
        if (type.TypeKind != TypeKind.Interface || type.IsGenericType || !IsGrainInterface(type) || !IsAccessible(type))
        {
            return null;
        }

        var methods = new List<GrainMethodModel>();
        foreach (INamedTypeSymbol declaring in new[] { type }.Concat(type.AllInterfaces))
        {
            foreach (ISymbol member in declaring.GetMembers())
            {
                if (member.IsStatic || member is INamedTypeSymbol || member is IMethodSymbol { MethodKind: not MethodKind.Ordinary })
                {
                    continue; // static members, nested types and accessors (properties themselves are refused below)
                }

                if (!member.IsAbstract)
                {
                    continue; // a default implementation needs no forwarding
                }

                if (member is not IMethodSymbol method || GrainMethodModel.Build(method, declaring, ReferenceEquals(declaring, type)) is not { } model)
                {
                    return null;
                }

                methods.Add(model);
            }
        }

        return new GrainInterfaceModel(
            type.ToDisplayString(Declaration),
            TypeOf(type),
            "GrainReference_" + Mangle(type.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat)),
            new EquatableArray<GrainMethodModel>([.. methods]));
    }

    /// <summary>How a type is written inside typeof (no nullable annotations, tuples as ValueTuple).</summary>
    public static string TypeOf(ITypeSymbol type)
    {
        switch (type)
        {
            case IArrayTypeSymbol array:
                return TypeOf(array.ElementType) + "[" + new string(',', array.Rank - 1) + "]";
            case INamedTypeSymbol named:
                string prefix = named.ContainingType is { } outer
                    ? TypeOf(outer) + "."
                    : named.ContainingNamespace is { IsGlobalNamespace: false } ns ? "global::" + ns.ToDisplayString() + "." : "global::";
                if (named.IsTupleType && named.TupleUnderlyingType is { } underlying && !SymbolEqualityComparer.Default.Equals(underlying, named))
                {
                    return TypeOf(underlying);
                }

                string arguments = named.TypeArguments.Length == 0 ? string.Empty : "<" + string.Join(", ", named.TypeArguments.Select(TypeOf)) + ">";
                return prefix + named.Name + arguments;
            default:
                return type.SpecialType == SpecialType.System_Object || type.TypeKind == TypeKind.Dynamic
                    ? "object"
                    : type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
        }
    }

    /// <summary>How a type is written in a declaration (fully qualified, nullable annotations kept).</summary>
    public static string Declare(ITypeSymbol type) => type.ToDisplayString(Declaration);

    private static bool IsGrainInterface(INamedTypeSymbol type) =>
        type.AllInterfaces.Any(i => i.Name == "IGrain" && i.ContainingNamespace is { Name: "Actors", ContainingNamespace.IsGlobalNamespace: true });

    private static bool IsAccessible(INamedTypeSymbol type)
    {
        for (INamedTypeSymbol? current = type; current is not null; current = current.ContainingType)
        {
            if (current.DeclaredAccessibility is not (Accessibility.Public or Accessibility.Internal or Accessibility.ProtectedOrInternal))
            {
                return false;
            }

            if (current.IsGenericType)
            {
                return false;
            }
        }

        return true;
    }

    private static string Mangle(string name)
    {
        var builder = new StringBuilder(name.Length);
        foreach (char c in name)
        {
            builder.Append(char.IsLetterOrDigit(c) ? c : '_');
        }

        return builder.ToString();
    }
}

/// <summary>One method a generated reference forwards.</summary>
/// <param name="DeclaringInterface">The interface that declares it (declaration form, for the explicit implementation).</param>
/// <param name="DeclaringTypeOf">The declaring interface inside typeof.</param>
/// <param name="Name">The method name.</param>
/// <param name="ReturnType">The declared return type.</param>
/// <param name="ReturnKind">0 Task, 1 ValueTask, 2 Task of T, 3 ValueTask of T.</param>
/// <param name="ResultType">T for kinds 2 and 3 (declaration form), else empty.</param>
/// <param name="ParameterTypes">Parameter types in declaration form.</param>
/// <param name="ParameterTypeOfs">Parameter types inside typeof.</param>
/// <param name="IsOwn">Whether the generated interface itself declares it (its invoker is registered with that interface).</param>
internal sealed record GrainMethodModel(
    string DeclaringInterface,
    string DeclaringTypeOf,
    string Name,
    string ReturnType,
    int ReturnKind,
    string ResultType,
    EquatableArray<string> ParameterTypes,
    EquatableArray<string> ParameterTypeOfs,
    bool IsOwn)
{
    /// <summary>The model of <paramref name="method"/>, or null when a reference cannot forward it.</summary>
    public static GrainMethodModel? Build(IMethodSymbol method, INamedTypeSymbol declaring, bool isOwn)
    {
        if (method.IsGenericMethod || method.ReturnsByRef || method.ReturnsByRefReadonly || method.Parameters.Any(p => p.RefKind != RefKind.None || p.Type.IsRefLikeType || p.Type is IPointerTypeSymbol or IFunctionPointerTypeSymbol || ContainsTypeParameter(p.Type)))
        {
            return null;
        }

        if (method.ReturnType is not INamedTypeSymbol returned || returned.ContainingNamespace?.ToDisplayString() != "System.Threading.Tasks" || ContainsTypeParameter(returned))
        {
            return null;
        }

        int kind = (returned.Name, returned.TypeArguments.Length) switch
        {
            ("Task", 0) => 0,
            ("ValueTask", 0) => 1,
            ("Task", 1) => 2,
            ("ValueTask", 1) => 3,
            _ => -1,
        };
        if (kind < 0)
        {
            return null;
        }

        return new GrainMethodModel(
            GrainInterfaceModel.Declare(declaring),
            GrainInterfaceModel.TypeOf(declaring),
            method.Name,
            GrainInterfaceModel.Declare(method.ReturnType),
            kind,
            kind >= 2 ? GrainInterfaceModel.Declare(returned.TypeArguments[0]) : string.Empty,
            new EquatableArray<string>([.. method.Parameters.Select(p => GrainInterfaceModel.Declare(p.Type))]),
            new EquatableArray<string>([.. method.Parameters.Select(p => GrainInterfaceModel.TypeOf(p.Type))]),
            isOwn);
    }

    private static bool ContainsTypeParameter(ITypeSymbol type) => type switch
    {
        ITypeParameterSymbol => true,
        IArrayTypeSymbol array => ContainsTypeParameter(array.ElementType),
        INamedTypeSymbol named => named.TypeArguments.Any(ContainsTypeParameter) || (named.ContainingType is { } outer && ContainsTypeParameter(outer)),
        _ => false,
    };
}
