using System.Collections.Immutable;
using System.Reflection;
using System.Runtime.Loader;
using Actors.CodeGenerator.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Actors.CodeGenerator.Tests;

/// <summary>Compiles source in memory with the generator and analyzers, as a project opted into the generator would.</summary>
internal static class GeneratorHarness
{
    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(() =>
    {
        var paths = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(p => Path.GetFileName(p).StartsWith("System.", StringComparison.Ordinal) || Path.GetFileName(p) is "mscorlib.dll" or "netstandard.dll")
            .ToList();
        paths.Add(typeof(Actors.Serialization.Serializer).Assembly.Location);
        paths.Add(typeof(Actors.IGrain).Assembly.Location);
        return [.. paths.Distinct().Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))];
    });

    public static CSharpCompilation Compile(string source, string assemblyName = "Generated.Test") =>
        CSharpCompilation.Create(
            assemblyName,
            [CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest), path: "Input.cs")],
            References.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

    /// <summary>Runs the generator; returns the compilation with the generated sources and the generator's diagnostics.</summary>
    public static (Compilation Output, ImmutableArray<Diagnostic> Diagnostics, ImmutableArray<string> Sources) Generate(string source, string assemblyName = "Generated.Test", bool withGrainCode = false)
    {
        CSharpCompilation input = Compile(source, assemblyName);
        ISourceGenerator[] generators = withGrainCode
            ? [new SerializerGenerator().AsSourceGenerator(), new GrainCodeGenerator().AsSourceGenerator()]
            : [new SerializerGenerator().AsSourceGenerator()];
        GeneratorDriver driver = CSharpGeneratorDriver.Create(generators)
            .WithUpdatedParseOptions(new CSharpParseOptions(LanguageVersion.Latest));
        driver = driver.RunGeneratorsAndUpdateCompilation(input, out Compilation output, out ImmutableArray<Diagnostic> diagnostics);
        ImmutableArray<string> sources = [.. driver.GetRunResult().GeneratedTrees.Select(tree => tree.ToString())];
        return (output, diagnostics, sources);
    }

    /// <summary>The analyzers' diagnostics on the generated compilation.</summary>
    public static async Task<ImmutableArray<Diagnostic>> AnalyzeAsync(string source)
    {
        (Compilation output, _, _) = Generate(source);
        ImmutableArray<DiagnosticAnalyzer> analyzers = [new DuplicateIdAnalyzer(), new SerializationAnalyzer()];
        return await output.WithAnalyzers(analyzers).GetAnalyzerDiagnosticsAsync();
    }

    /// <summary>Errors of the generated compilation (generated code must compile cleanly).</summary>
    public static IEnumerable<Diagnostic> Errors(Compilation compilation) =>
        compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error);

    /// <summary>Emits and loads the compilation (its references to the Actors assemblies resolve to the ones this test uses).</summary>
    public static Assembly Load(Compilation compilation)
    {
        using var image = new MemoryStream();
        var result = compilation.Emit(image);
        Assert.True(result.Success, string.Join(Environment.NewLine, result.Diagnostics));
        image.Position = 0;
        return new AssemblyLoadContext(compilation.AssemblyName, isCollectible: true).LoadFromStream(image);
    }
}
