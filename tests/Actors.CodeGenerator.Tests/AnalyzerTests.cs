using Microsoft.CodeAnalysis;

namespace Actors.CodeGenerator.Tests;

public class AnalyzerTests
{
    private const string Usings = "using System; using System.Collections.Generic; using System.IO; using System.Threading; using System.Threading.Tasks; using Actors;\n";

    [Fact]
    public async Task DuplicateId_IsReportedWithBothMembers()
    {
        var diagnostics = await Analyze("[GenerateSerializer] public class A { [Id(1)] public int X { get; set; } [Id(1)] public string? Y { get; set; } }");

        Diagnostic error = Assert.Single(diagnostics, d => d.Id == "ACT1001");
        Assert.Contains("'X' and 'Y'", error.GetMessage(), StringComparison.Ordinal);
        Assert.Contains("[Id(n)]", error.GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DuplicateId_BetweenARecordPositionAndAnExplicitId_IsReported()
    {
        var diagnostics = await Analyze("[GenerateSerializer] public record R(int First) { [Id(0)] public string? Extra { get; set; } }");

        Assert.Single(diagnostics, d => d.Id == "ACT1001");
    }

    [Fact]
    public async Task DistinctIds_AndIdsReusedByADerivedClass_AreFine()
    {
        var diagnostics = await Analyze("""
            [GenerateSerializer] public class A { [Id(0)] public int X { get; set; } [Id(1)] public int Y { get; set; } }
            [GenerateSerializer] public class B : A { [Id(0)] public int Z { get; set; } }
            """);

        Assert.DoesNotContain(diagnostics, d => d.Id == "ACT1001");
    }

    [Theory]
    [InlineData("Task Run(Stream body);", "Stream")]
    [InlineData("Task Run(Func<int> callback);", "Func<int>")]
    [InlineData("Task<Task<int>> Run();", "Task<int>")]
    [InlineData("Task Run(List<Action> work);", "Action")]
    [InlineData("ValueTask<CancellationTokenSource> Run();", "CancellationTokenSource")]
    public async Task GrainMethod_WithATypeThatCanNeverBeSerialized_IsReported(string method, string typeName)
    {
        var diagnostics = await Analyze($"public interface IWorker : IGrainWithStringKey {{ {method} }}");

        Diagnostic error = Assert.Single(diagnostics, d => d.Id == "ACT1002");
        Assert.Contains(typeName, error.GetMessage(), StringComparison.Ordinal);
        Assert.Contains("IWorker.Run", error.GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GrainMethod_WithSerializableTypes_IsFine()
    {
        var diagnostics = await Analyze("""
            [GenerateSerializer] public sealed record Item(string Name);
            public enum Mode { A }
            public interface IOther : IGrainWithGuidKey { Task Ping(); }
            public interface IWorker : IGrainWithStringKey
            {
                Task<(bool, Item?)> Get(int id, string? name, Mode mode, CancellationToken cancellation);
                ValueTask<Dictionary<string, List<Item>>> All(Guid[] ids, DateTime since, IOther other, Exception? error, object? anything);
                Task Run(IReadOnlyList<Item> items, byte[] payload, ReadOnlyMemory<byte> more);
            }
            """);

        Assert.Empty(diagnostics);
    }

    [Theory]
    [InlineData("Task Save(Plain value);", "Parameter 'value'")]
    [InlineData("Task Save(List<Plain> values);", "Parameter 'values'")]
    [InlineData("Task<Plain> Load();", "The result of grain method")]
    [InlineData("Task<Dictionary<string, Plain[]>> Load();", "The result of grain method")]
    public async Task GrainMethod_WithATypeLackingGenerateSerializer_IsReported(string method, string what)
    {
        var diagnostics = await Analyze($"public sealed class Plain {{ public int V {{ get; set; }} }}\npublic interface IStore : IGrainWithStringKey {{ {method} }}");

        Diagnostic error = Assert.Single(diagnostics, d => d.Id == "ACT1003");
        Assert.Contains(what, error.GetMessage(), StringComparison.Ordinal);
        Assert.Contains("Add [GenerateSerializer] to 'Sample.Plain'", error.GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SerializedMember_AndBaseClass_WithoutGenerateSerializer_AreReported()
    {
        var diagnostics = await Analyze("""
            public class Plain { public int V; }
            [GenerateSerializer] public sealed class Holder { [Id(0)] public Plain? Value { get; set; } }
            [GenerateSerializer] public sealed class Derived : Plain { [Id(0)] public int W { get; set; } }
            """);

        Assert.Equal(2, diagnostics.Count(d => d.Id == "ACT1003"));
        Assert.Contains(diagnostics, d => d.GetMessage().Contains("Holder.Value", StringComparison.Ordinal));
        Assert.Contains(diagnostics, d => d.GetMessage().Contains("base class of 'Derived'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TypeWithAConverter_IsSerializable()
    {
        var diagnostics = await Analyze("""
            public sealed class Foreign { public int V { get; init; } }
            [GenerateSerializer] public struct ForeignSurrogate { [Id(0)] public int V; }
            [RegisterConverter] public sealed class ForeignConverter : IConverter<Foreign, ForeignSurrogate>
            {
                public Foreign ConvertFromSurrogate(in ForeignSurrogate s) => new() { V = s.V };
                public ForeignSurrogate ConvertToSurrogate(in Foreign v) => new() { V = v.V };
            }
            public interface IStore : IGrainWithStringKey { Task Save(Foreign value); }
            """);

        Assert.Empty(diagnostics);
    }

    [Fact]
    public async Task SuppressedDiagnostic_ForAJsonCarriedType_IsNotReported()
    {
        var diagnostics = await Analyze("""
            public sealed record Legacy(string Id);
            public interface IStore : IGrainWithStringKey
            {
            #pragma warning disable ACT1003
                Task Save(Legacy value);
            #pragma warning restore ACT1003
            }
            """);

        Assert.DoesNotContain(diagnostics, d => d.Id == "ACT1003" && !d.IsSuppressed);
    }

    [Fact]
    public void InaccessibleType_IsReportedByTheGenerator()
    {
        (_, var diagnostics, _) = GeneratorHarness.Generate(Usings + "public class Outer { [GenerateSerializer] private sealed class Hidden { [Id(0)] public int V; } }");

        Diagnostic error = Assert.Single(diagnostics, d => d.Id == "ACT1004");
        Assert.Contains("Hidden", error.GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public void MemberThatCannotBeSet_IsReportedByTheGenerator()
    {
        (_, var diagnostics, _) = GeneratorHarness.Generate(Usings + """
            [GenerateSerializer] public sealed class Computed { [Id(0)] public int Twice => 2; }
            [GenerateSerializer] public sealed class Captured([Id(0)] int value) { public int Read() => value; }
            """);

        Assert.Equal(2, diagnostics.Count(d => d.Id == "ACT1005"));
        Assert.Contains(diagnostics, d => d.GetMessage().Contains("'Twice'", StringComparison.Ordinal));
        Assert.Contains(diagnostics, d => d.GetMessage().Contains("'value'", StringComparison.Ordinal));
    }

    private static async Task<IReadOnlyList<Diagnostic>> Analyze(string source) =>
        [.. await GeneratorHarness.AnalyzeAsync(Usings + "namespace Sample;\n" + source)];
}
