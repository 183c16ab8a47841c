using System.Collections.Immutable;
using Actors.CodeGenerator.Analysis;
using Actors.CodeGenerator.Emit;
using Actors.CodeGenerator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Actors.CodeGenerator;

/// <summary>
/// Emits a serializer and a deep copier for every <c>[GenerateSerializer]</c> type of the compilation, and a manifest that
/// registers them (with aliases, converters and hand-written codecs) so every serializer in the process finds them.
/// </summary>
/// <remarks>
/// Phase 2 (grain references and invokers) is a second generator beside this one; it reuses <see cref="TypeModelBuilder"/>
/// and <see cref="CodecEmitter"/> for the argument holders it generates (see docs/serialization.md).
/// </remarks>
[Generator(LanguageNames.CSharp)]
public sealed class SerializerGenerator : IIncrementalGenerator
{
    /// <inheritdoc />
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        IncrementalValuesProvider<TypeResult> types = context.SyntaxProvider.ForAttributeWithMetadataName(
            KnownSymbols.GenerateSerializerName,
            static (node, _) => node is TypeDeclarationSyntax or EnumDeclarationSyntax,
            static (syntax, _) => BuildType((INamedTypeSymbol)syntax.TargetSymbol, syntax.SemanticModel.Compilation));

        IncrementalValueProvider<ImmutableArray<RegistrationModel>> converters = Registrations(context, KnownSymbols.RegisterConverterName, RegistrationKind.Converter);
        IncrementalValueProvider<ImmutableArray<RegistrationModel>> serializers = Registrations(context, KnownSymbols.RegisterSerializerName, RegistrationKind.Serializer);
        IncrementalValueProvider<ImmutableArray<RegistrationModel>> copiers = Registrations(context, KnownSymbols.RegisterCopierName, RegistrationKind.Copier);
        IncrementalValueProvider<string?> assemblyName = context.CompilationProvider.Select(static (compilation, _) => compilation.AssemblyName);

        context.RegisterSourceOutput(types, static (output, result) =>
        {
            foreach (Diagnostic diagnostic in result.Diagnostics)
            {
                output.ReportDiagnostic(diagnostic);
            }
        });

        var all = types.Collect().Combine(converters).Combine(serializers).Combine(copiers).Combine(assemblyName);
        context.RegisterSourceOutput(all, static (output, input) =>
        {
            ImmutableArray<TypeResult> results = input.Left.Left.Left.Left;
            ImmutableArray<RegistrationModel> converterModels = input.Left.Left.Left.Right;
            ImmutableArray<RegistrationModel> serializerModels = input.Left.Left.Right;
            ImmutableArray<RegistrationModel> copierModels = input.Left.Right;
            string? name = input.Right;
            string ns = Names.Namespace(name);
            var models = results.Select(r => r.Model).OfType<TypeModel>()
                .GroupBy(m => m.GeneratedName).Select(g => g.First()).OrderBy(m => m.GeneratedName, StringComparer.Ordinal).ToList();
            foreach (TypeModel model in models)
            {
                if (!model.IsEnum)
                {
                    output.AddSource(model.GeneratedName + ".g.cs", CodecEmitter.Emit(model, ns));
                }
            }

            var registrations = converterModels.Concat(serializerModels).Concat(copierModels).Distinct().ToList();
            if (models.Count != 0 || registrations.Count != 0)
            {
                output.AddSource(ManifestEmitter.ClassName + ".g.cs", ManifestEmitter.Emit(models, registrations, ns));
            }
        });
    }

    private static TypeResult BuildType(INamedTypeSymbol type, Compilation compilation)
    {
        var diagnostics = new List<Diagnostic>();
        TypeModel? model = new TypeModelBuilder(KnownSymbols.For(compilation)).Build(type, diagnostics);
        return new TypeResult(model, new EquatableArray<Diagnostic>([.. diagnostics]));
    }

    private static IncrementalValueProvider<ImmutableArray<RegistrationModel>> Registrations(
        IncrementalGeneratorInitializationContext context, string attribute, RegistrationKind kind) =>
        context.SyntaxProvider.ForAttributeWithMetadataName(
                attribute,
                static (node, _) => node is TypeDeclarationSyntax,
                (syntax, _) => new EquatableArray<RegistrationModel>([.. RegistrationBuilder.Build((INamedTypeSymbol)syntax.TargetSymbol, kind, KnownSymbols.For(syntax.SemanticModel.Compilation))]))
            .SelectMany(static (models, _) => models.AsImmutable())
            .Collect();

    private sealed record TypeResult(TypeModel? Model, EquatableArray<Diagnostic> Diagnostics);
}
