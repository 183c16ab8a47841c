using System.Collections.Immutable;
using Actors.CodeGenerator.Analysis;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Actors.CodeGenerator.Diagnostics;

/// <summary>ACT1001: two serialized members of one type share an id (explicit [Id], or a record parameter's position).</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class DuplicateIdAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => [Descriptors.DuplicateId];

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            var known = KnownSymbols.For(start.Compilation);
            if (known.Id is null)
            {
                return;
            }

            start.RegisterSymbolAction(symbol => Analyze(symbol, known), SymbolKind.NamedType);
        });
    }

    private static void Analyze(SymbolAnalysisContext context, KnownSymbols known)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        var seen = new Dictionary<uint, SerializedMember>();
        foreach (SerializedMember member in SerializedMembers.Collect(type, known))
        {
            if (seen.TryGetValue(member.Id, out SerializedMember? first))
            {
                context.ReportDiagnostic(Diagnostic.Create(Descriptors.DuplicateId, member.Location, first.Symbol.Name, member.Symbol.Name, TypeNames.Message(type), member.Id));
            }
            else
            {
                seen.Add(member.Id, member);
            }
        }
    }
}
