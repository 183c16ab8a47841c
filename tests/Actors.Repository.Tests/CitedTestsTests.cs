using System.Text.RegularExpressions;

namespace Actors.Repository.Tests;

/// <summary>
/// The documents name the tests that show their guarantees (<c>`CrashPointTests`</c>,
/// <c>`GracefulHandOverTests.StopSilo_LeaderUnderLoad_...`</c>): every such citation in <c>README.md</c> and <c>docs/</c>
/// must name a test class declared under <c>tests/</c> and, when it names a method, a method of that class, so that a
/// renamed or deleted test cannot leave a guarantee pointing at nothing.
/// </summary>
public sealed partial class CitedTestsTests
{
    [Fact]
    public void Documents_EveryCitedTestClassAndMethod_IsDeclaredUnderTests()
    {
        var problems = new List<string>();
        foreach (string document in Documents())
        {
            string markdown = RepositoryFiles.Read(document);
            foreach (string span in MarkdownTables.CodeSpans(MarkdownTables.WithoutFences(markdown)).Distinct(StringComparer.Ordinal))
            {
                if (Problem(span) is { } problem)
                {
                    problems.Add($"{document}: `{span}` {problem}");
                }
            }
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Theory]
    [InlineData("CitedTestsTests", null)]
    [InlineData("CitedTestsTests.Documents_EveryCitedTestClassAndMethod_IsDeclaredUnderTests", null)]
    [InlineData("Actors.Repository.Tests", null)]
    [InlineData("NoSuchTests", "names no test class declared under tests/")]
    [InlineData("CitedTestsTests.Renamed_Method_Gone", "names no method Renamed_Method_Gone of CitedTestsTests")]
    [InlineData("CitedTestsTests.Documents_EveryCited...", null)]
    [InlineData("CitedTestsTests.Documents_Gone...", "names no method of CitedTestsTests starting Documents_Gone")]
    [InlineData("WRITEAHEADLOG__REPLICATION__X", null)]
    public void Problem_CitedTestNames_FoundOrNamed(string span, string? expected) => Assert.Equal(expected, Problem(span));

    /// <summary>What is wrong with one code span as a test citation, or null when it is no citation or a correct one.</summary>
    private static string? Problem(string span)
    {
        Match cited = Citation().Match(span);
        if (!cited.Success)
        {
            return null;
        }

        string type = cited.Groups["type"].Value;
        if (!TestMethods.Value.TryGetValue(type, out HashSet<string>? methods))
        {
            return "names no test class declared under tests/";
        }

        string method = cited.Groups["method"].Value;
        if (method.Length == 0)
        {
            return null;
        }

        bool prefix = cited.Groups["ellipsis"].Success;
        return (prefix ? methods.Any(m => m.StartsWith(method, StringComparison.Ordinal)) : methods.Contains(method))
            ? null
            : prefix ? $"names no method of {type} starting {method}" : $"names no method {method} of {type}";
    }

    private static IEnumerable<string> Documents()
        => new[] { "README.md" }.Concat(Directory.EnumerateFiles(RepositoryFiles.PathOf("docs"), "*.md", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(RepositoryFiles.Root, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal));

    private static readonly Lazy<Dictionary<string, HashSet<string>>> TestMethods = new(ScanTests);

    /// <summary>Every class under <c>tests/</c> whose name ends in <c>Tests</c> or <c>TestBase</c>, with the methods its files declare.</summary>
    private static Dictionary<string, HashSet<string>> ScanTests()
    {
        var classes = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (string file in SourceTypes.CSharpFiles("tests"))
        {
            string text = File.ReadAllText(file);
            string[] declared = [.. TestClass().Matches(text).Select(m => m.Groups[1].Value)];
            if (declared.Length == 0)
            {
                continue;
            }

            string[] methods = [.. Method().Matches(text).Select(m => m.Groups[1].Value)];
            foreach (string type in declared)
            {
                if (!classes.TryGetValue(type, out HashSet<string>? set))
                {
                    classes[type] = set = new HashSet<string>(StringComparer.Ordinal);
                }

                set.UnionWith(methods);
            }
        }

        return classes;
    }

    /// <summary>
    /// A citation: a test class name, optionally followed by <c>.Method</c>, or by <c>.Prefix...</c> for the methods that
    /// start so (a trailing <c>()</c> ignored).
    /// </summary>
    [GeneratedRegex(@"^(?<type>[A-Z]\w*(?:Tests|TestBase))(?:\.(?<method>[A-Z]\w*)(?<ellipsis>\.\.\.)?)?(?:\(\))?$")]
    private static partial Regex Citation();

    [GeneratedRegex(@"\b(?:class|record)\s+([A-Z]\w*(?:Tests|TestBase))\b")]
    private static partial Regex TestClass();

    [GeneratedRegex(@"\b(?:void|Task|ValueTask)\s+([A-Z]\w*)\s*\(")]
    private static partial Regex Method();
}
