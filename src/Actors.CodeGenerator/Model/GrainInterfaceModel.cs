using System.Text;
using Microsoft.CodeAnalysis;

namespace Actors.CodeGenerator.Model;

/// <summary>A grain interface the generator writes a reference and invokers for (equatable, for incremental generation).</summary>
/// <param name="InterfaceName">The interface, fully qualified with nullable annotations.</param>
/// <param name="TypeOfName">The interface as written inside typeof.</param>
/// <param name="ClassName">The generated reference class.</param>
/// <param name="Methods">Every method the reference implements: the interface's own and its base interfaces'.</param>
/// <param name="TypeParameters">A generic interface's type parameter names (the reference class is generic over the same ones), else empty.</param>
/// <param name="Constraints">The <c>where</c> clauses of those type parameters, one per constrained parameter.</param>
internal sealed record GrainInterfaceModel(
    string InterfaceName,
    string TypeOfName,
    string ClassName,
    EquatableArray<GrainMethodModel> Methods,
    EquatableArray<string> TypeParameters,
    EquatableArray<string> Constraints)
{
    /// <summary>The generic definition inside typeof (<c>IFoo&lt;,&gt;</c>), for a generic interface.</summary>
    public string OpenTypeOfName => TypeParameters.Count == 0 ? TypeOfName : TypeOfName.Substring(0, TypeOfName.IndexOf('<')) + "<" + new string(',', TypeParameters.Count - 1) + ">";

    /// <summary>The reference class as written in code: its name and, for a generic interface, its type parameters.</summary>
    public string ClassDeclaration => TypeParameters.Count == 0 ? ClassName : ClassName + "<" + string.Join(", ", TypeParameters) + ">";

    /// <summary>The open reference class inside typeof.</summary>
    public string OpenClassTypeOf => TypeParameters.Count == 0 ? ClassName : ClassName + "<" + new string(',', TypeParameters.Count - 1) + ">";

    private static readonly SymbolDisplayFormat Declaration = SymbolDisplayFormat.FullyQualifiedFormat
        .AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

    /// <summary>The model of <paramref name="type"/>, or null when it is not a grain interface the generator can serve.</summary>
    public static GrainInterfaceModel? Build(INamedTypeSymbol type)
    {
        bool isObserver = IsObserverInterface(type);
        if (type.TypeKind != TypeKind.Interface || !(isObserver || IsGrainInterface(type)) || !IsAccessible(type))
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

                if (member is not IMethodSymbol method || GrainMethodModel.Build(method, declaring, ReferenceEquals(declaring, type), isObserver) is not { } model)
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
            new EquatableArray<GrainMethodModel>([.. methods]),
            new EquatableArray<string>([.. type.TypeParameters.Select(p => p.Name)]),
            new EquatableArray<string>([.. type.TypeParameters.Select(ConstraintClause).Where(c => c.Length != 0)]));
    }

    /// <summary>The <c>where</c> clause repeating <paramref name="parameter"/>'s constraints on generated code, or empty.</summary>
    public static string ConstraintClause(ITypeParameterSymbol parameter)
    {
        var constraints = new List<string>();
        if (parameter.HasUnmanagedTypeConstraint)
        {
            constraints.Add("unmanaged");
        }
        else if (parameter.HasValueTypeConstraint)
        {
            constraints.Add("struct");
        }
        else if (parameter.HasReferenceTypeConstraint)
        {
            constraints.Add(parameter.ReferenceTypeConstraintNullableAnnotation == NullableAnnotation.Annotated ? "class?" : "class");
        }
        else if (parameter.HasNotNullConstraint)
        {
            constraints.Add("notnull");
        }

        constraints.AddRange(parameter.ConstraintTypes.Select(Declare));
        if (parameter.HasConstructorConstraint && !parameter.HasValueTypeConstraint)
        {
            constraints.Add("new()");
        }

        return constraints.Count == 0 ? string.Empty : "where " + parameter.Name + " : " + string.Join(", ", constraints);
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

    // An observer interface (deriving from Actors.IGrainObserver): its methods may also return void (one-way).
    private static bool IsObserverInterface(INamedTypeSymbol type) =>
        type.AllInterfaces.Any(i => i.Name == "IGrainObserver" && i.ContainingNamespace is { Name: "Actors", ContainingNamespace.IsGlobalNamespace: true });

    private static bool IsAccessible(INamedTypeSymbol type)
    {
        for (INamedTypeSymbol? current = type; current is not null; current = current.ContainingType)
        {
            if (current.DeclaredAccessibility is not (Accessibility.Public or Accessibility.Internal or Accessibility.ProtectedOrInternal))
            {
                return false;
            }

            if (current.IsGenericType && !ReferenceEquals(current, type))
            {
                return false; // an interface nested in a generic type: its reference would need the outer type's parameters too
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
/// <param name="ReturnKind">0 Task, 1 ValueTask, 2 Task of T, 3 ValueTask of T, 4 void (observer interfaces only: one-way).</param>
/// <param name="ResultType">T for kinds 2 and 3 (declaration form), else empty.</param>
/// <param name="ParameterTypes">Parameter types in declaration form.</param>
/// <param name="ParameterTypeOfs">Parameter types inside typeof.</param>
/// <param name="IsOwn">Whether the generated interface itself declares it (its invoker is registered with that interface).</param>
/// <param name="TypeParameters">A generic method's type parameter names, else empty.</param>
/// <param name="Constraints">Their <c>where</c> clauses (for the generated generic invoker).</param>
/// <param name="ParameterTypeExpressions">For a generic method: expressions giving each parameter type with the method's type parameters as <c>Type.MakeGenericMethodParameter</c>.</param>
internal sealed record GrainMethodModel(
    string DeclaringInterface,
    string DeclaringTypeOf,
    string Name,
    string ReturnType,
    int ReturnKind,
    string ResultType,
    EquatableArray<string> ParameterTypes,
    EquatableArray<string> ParameterTypeOfs,
    bool IsOwn,
    EquatableArray<string> TypeParameters,
    EquatableArray<string> Constraints,
    EquatableArray<string> ParameterTypeExpressions)
{
    /// <summary>The type parameter list as written after the method name (<c>&lt;T&gt;</c>), or empty.</summary>
    public string TypeParameterList => TypeParameters.Count == 0 ? string.Empty : "<" + string.Join(", ", TypeParameters) + ">";

    /// <summary>The model of <paramref name="method"/>, or null when a reference cannot forward it.</summary>
    public static GrainMethodModel? Build(IMethodSymbol method, INamedTypeSymbol declaring, bool isOwn, bool allowVoid)
    {
        if (method.ReturnsByRef || method.ReturnsByRefReadonly || method.Parameters.Any(p => p.RefKind != RefKind.None || p.Type.IsRefLikeType || p.Type is IPointerTypeSymbol or IFunctionPointerTypeSymbol))
        {
            return null;
        }

        if (method.ReturnsVoid)
        {
            return allowVoid ? Create(method, declaring, isOwn, kind: 4, resultType: string.Empty) : null;
        }

        if (method.ReturnType is not INamedTypeSymbol returned || returned.ContainingNamespace?.ToDisplayString() != "System.Threading.Tasks")
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

        return Create(method, declaring, isOwn, kind, kind >= 2 ? GrainInterfaceModel.Declare(returned.TypeArguments[0]) : string.Empty);
    }

    private static GrainMethodModel Create(IMethodSymbol method, INamedTypeSymbol declaring, bool isOwn, int kind, string resultType) => new(
        GrainInterfaceModel.Declare(declaring),
        GrainInterfaceModel.TypeOf(declaring),
        method.Name,
        GrainInterfaceModel.Declare(method.ReturnType),
        kind,
        resultType,
        new EquatableArray<string>([.. method.Parameters.Select(p => GrainInterfaceModel.Declare(p.Type))]),
        new EquatableArray<string>([.. method.Parameters.Select(p => GrainInterfaceModel.TypeOf(p.Type))]),
        isOwn,
        new EquatableArray<string>([.. method.TypeParameters.Select(p => p.Name)]),
        new EquatableArray<string>([.. method.TypeParameters.Select(GrainInterfaceModel.ConstraintClause).Where(c => c.Length != 0)]),
        new EquatableArray<string>(method.IsGenericMethod ? [.. method.Parameters.Select(p => TypeExpression(p.Type))] : []));

    // An expression for a parameter type of a generic method, usable in a method lookup by signature.
    private static string TypeExpression(ITypeSymbol type)
    {
        if (!ContainsMethodTypeParameter(type))
        {
            return "typeof(" + GrainInterfaceModel.TypeOf(type) + ")";
        }

        switch (type)
        {
            case ITypeParameterSymbol parameter:
                return "global::System.Type.MakeGenericMethodParameter(" + parameter.Ordinal + ")";
            case IArrayTypeSymbol array:
                return TypeExpression(array.ElementType) + (array.Rank == 1 ? ".MakeArrayType()" : ".MakeArrayType(" + array.Rank + ")");
            case INamedTypeSymbol named when named.IsTupleType && named.TupleUnderlyingType is { } underlying && !SymbolEqualityComparer.Default.Equals(underlying, named):
                return TypeExpression(underlying);
            case INamedTypeSymbol named:
                string open = GrainInterfaceModel.TypeOf(named.ConstructedFrom);
                open = open.Substring(0, open.IndexOf('<')) + "<" + new string(',', named.TypeArguments.Length - 1) + ">";
                return "typeof(" + open + ").MakeGenericType(" + string.Join(", ", named.TypeArguments.Select(TypeExpression)) + ")";
            default:
                return "typeof(object)";
        }
    }

    // A method's own type parameter (a generic method) cannot be forwarded; the interface's type parameters can (the
    // reference class is generic over them).
    private static bool ContainsMethodTypeParameter(ITypeSymbol type) => type switch
    {
        ITypeParameterSymbol parameter => parameter.TypeParameterKind != TypeParameterKind.Type,
        IArrayTypeSymbol array => ContainsMethodTypeParameter(array.ElementType),
        INamedTypeSymbol named => named.TypeArguments.Any(ContainsMethodTypeParameter) || (named.ContainingType is { } outer && ContainsMethodTypeParameter(outer)),
        _ => false,
    };
}
