using System.Collections.Immutable;
using Actors.CodeGenerator.Analysis;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Actors.CodeGenerator.Diagnostics;

/// <summary>
/// ACT1002 and ACT1003: a type that crosses a grain boundary (a parameter or result of a method of an interface deriving
/// from <c>Actors.IGrain</c>) or is the type of a serialized member (or the base class of a [GenerateSerializer] class)
/// can never be serialized, or lacks [GenerateSerializer].
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class SerializationAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => [Descriptors.NotSerializable, Descriptors.MissingGenerateSerializer];

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            var known = KnownSymbols.For(start.Compilation);
            if (known.GenerateSerializer is null)
            {
                return;
            }

            var rules = new Serializability(known, RegisteredTargets(start.Compilation, known));
            start.RegisterSymbolAction(symbol => Analyze(symbol, known, rules), SymbolKind.NamedType);
        });
    }

    private static void Analyze(SymbolAnalysisContext context, KnownSymbols known, Serializability rules)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        if (type.TypeKind == TypeKind.Interface && known.IsGrainInterface(type))
        {
            foreach (IMethodSymbol method in type.GetMembers().OfType<IMethodSymbol>().Where(m => m.MethodKind == MethodKind.Ordinary))
            {
                string name = $"{type.Name}.{method.Name}";
                foreach (IParameterSymbol parameter in method.Parameters)
                {
                    Report(context, rules.Classify(parameter.Type), parameter.Type, $"Parameter '{parameter.Name}' of grain method '{name}'", parameter.Locations.FirstOrDefault());
                }

                if (ResultType(method, known) is { } result)
                {
                    Location? location = method.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax() is MethodDeclarationSyntax syntax
                        ? syntax.ReturnType.GetLocation()
                        : method.Locations.FirstOrDefault();
                    Report(context, rules.Classify(result), result, $"The result of grain method '{name}'", location);
                }
            }
        }

        if (!KnownSymbols.HasAttribute(type, known.GenerateSerializer) || type.TypeKind == TypeKind.Enum)
        {
            return;
        }

        foreach (SerializedMember member in SerializedMembers.Collect(type, known))
        {
            Report(context, rules.Classify(member.Type), member.Type, $"Serialized member '{type.Name}.{member.Symbol.Name}'", member.Symbol.Locations.FirstOrDefault());
        }

        if (type.BaseType is { SpecialType: not SpecialType.System_Object } baseType && !type.IsValueType && !known.IsException(baseType)
            && !KnownSymbols.HasAttribute(baseType.OriginalDefinition, known.GenerateSerializer)
            && baseType.GetMembers().Any(m => m is IFieldSymbol { IsStatic: false, IsConst: false }))
        {
            context.ReportDiagnostic(Diagnostic.Create(Descriptors.MissingGenerateSerializer, type.Locations.FirstOrDefault(),
                $"The base class of '{type.Name}' (its fields would not be serialized)", TypeNames.Message(baseType)));
        }
    }

    private static void Report(SymbolAnalysisContext context, Classification verdict, ITypeSymbol declared, string what, Location? location)
    {
        switch (verdict.Verdict)
        {
            case Verdict.NotSerializable:
                string culprit = SymbolEqualityComparer.Default.Equals(verdict.Culprit, declared) ? string.Empty : $" (its part '{TypeNames.Message(verdict.Culprit!)}')";
                context.ReportDiagnostic(Diagnostic.Create(Descriptors.NotSerializable, location, what, TypeNames.Message(declared) + culprit, verdict.Reason));
                break;
            case Verdict.MissingGenerateSerializer:
                context.ReportDiagnostic(Diagnostic.Create(Descriptors.MissingGenerateSerializer, location, what, TypeNames.Message(verdict.Culprit!)));
                break;
        }
    }

    private static ITypeSymbol? ResultType(IMethodSymbol method, KnownSymbols known)
    {
        if (method.ReturnType is INamedTypeSymbol { IsGenericType: true } generic
            && (SymbolEqualityComparer.Default.Equals(generic.OriginalDefinition, known.TaskOfT) || SymbolEqualityComparer.Default.Equals(generic.OriginalDefinition, known.ValueTaskOfT)))
        {
            return generic.TypeArguments[0];
        }

        return null;
    }

    /// <summary>Types with a converter or hand-written codec: registered in this compilation, or listed by referenced assemblies.</summary>
    private static ISet<ITypeSymbol> RegisteredTargets(Compilation compilation, KnownSymbols known)
    {
        var targets = new HashSet<ITypeSymbol>(SymbolEqualityComparer.Default);
        foreach (IAssemblySymbol assembly in compilation.SourceModule.ReferencedAssemblySymbols)
        {
            foreach (AttributeData attribute in assembly.GetAttributes())
            {
                if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, known.RegisteredCodecFor)
                    && attribute.ConstructorArguments.FirstOrDefault().Value is ITypeSymbol target)
                {
                    targets.Add(target.OriginalDefinition);
                }
            }
        }

        var pending = new Stack<INamespaceOrTypeSymbol>([compilation.Assembly.GlobalNamespace]);
        while (pending.Count != 0)
        {
            foreach (ISymbol member in pending.Pop().GetMembers())
            {
                if (member is INamespaceOrTypeSymbol container)
                {
                    pending.Push(container);
                }

                if (member is not INamedTypeSymbol type)
                {
                    continue;
                }

                foreach (var kind in new[] { Model.RegistrationKind.Converter, Model.RegistrationKind.Serializer })
                {
                    INamedTypeSymbol? attribute = kind == Model.RegistrationKind.Converter ? known.RegisterConverter : known.RegisterSerializer;
                    INamedTypeSymbol? contract = kind == Model.RegistrationKind.Converter ? known.Converter : known.FieldCodec;
                    if (!KnownSymbols.HasAttribute(type, attribute))
                    {
                        continue;
                    }

                    foreach (INamedTypeSymbol implemented in type.AllInterfaces)
                    {
                        if (SymbolEqualityComparer.Default.Equals(implemented.OriginalDefinition, contract))
                        {
                            targets.Add(implemented.TypeArguments[0].OriginalDefinition);
                        }
                    }
                }
            }
        }

        return targets;
    }
}
