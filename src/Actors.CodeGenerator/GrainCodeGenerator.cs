using System.Collections.Immutable;
using Actors.CodeGenerator.Emit;
using Actors.CodeGenerator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Actors.CodeGenerator;

/// <summary>
/// The second part of the generator: for every grain or observer interface of the compilation (an interface deriving
/// from <c>Actors.IGrain</c> or <c>Actors.IGrainObserver</c>), a reference class (replacing the runtime proxy) and an
/// invoker per method (replacing compiled expressions on the silo), registered by a module initializer with
/// <c>Actors.Invocation.GeneratedGrainCode</c>. A generic interface gets a generic reference class, a generic method a
/// generic invoker. Interfaces with a member a reference cannot forward (a by-ref parameter, a property or event, a
/// method returning something other than Task/ValueTask, or void outside an observer interface) get nothing, and the
/// runtime refuses them by name.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class GrainCodeGenerator : IIncrementalGenerator
{
    /// <inheritdoc />
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        IncrementalValuesProvider<GrainInterfaceModel> interfaces = context.SyntaxProvider.CreateSyntaxProvider(
                static (node, _) => node is InterfaceDeclarationSyntax { BaseList: not null },
                static (syntax, cancellationToken) => syntax.SemanticModel.GetDeclaredSymbol(syntax.Node, cancellationToken) is INamedTypeSymbol type
                    ? GrainInterfaceModel.Build(type)
                    : null)
            .Where(static model => model is not null)!;
        IncrementalValueProvider<string?> assemblyName = context.CompilationProvider.Select(static (compilation, _) => compilation.AssemblyName);

        context.RegisterSourceOutput(interfaces.Collect().Combine(assemblyName), static (output, input) =>
        {
            string ns = Names.Namespace(input.Right);
            var models = input.Left.GroupBy(m => m.ClassName).Select(g => g.First()).OrderBy(m => m.ClassName, StringComparer.Ordinal).ToList();
            foreach (GrainInterfaceModel model in models)
            {
                output.AddSource(model.ClassName + ".g.cs", GrainCodeEmitter.EmitReference(model, ns));
            }

            if (models.Count != 0)
            {
                output.AddSource(GrainCodeEmitter.RegistrationClassName + ".g.cs", GrainCodeEmitter.EmitRegistration(models, ns));
            }
        });
    }
}
