using System.Text.RegularExpressions;

namespace Actors.Repository.Tests;

/// <summary>
/// <c>docs/architecture.md</c> against the repository: its project tables list every source project of the solution with
/// its real project references, every path it cites exists, and every type it names is declared in the sources (or is
/// one of the Orleans and .NET types listed here).
/// </summary>
public sealed partial class ArchitectureDocumentTests
{
    private const string Document = "docs/architecture.md";

    /// <summary>The types the document names that come from Orleans or .NET, not from this repository.</summary>
    private static readonly HashSet<string> ExternalTypes = new(StringComparer.Ordinal)
    {
        "JournaledGrain", "IPersistentState", "Grain", "PrimaryBasedLogViewAdaptor", "ILogViewAdaptorFactory", "IGrainStorage",
        "ISiloBuilder", "ISiloLifecycle", "ServiceLifecycleStage", "GrainId", "InconsistentStateException", "IGrainFactory",
        "TimeProvider", "FakeTimeProvider", "RandomAccess", "BrotliEncoder", "IValidateOptions", "IHealthCheck", "Meter",
    };

    [Fact]
    public void ProjectTables_EverySourceProjectOfTheSolution_HasARowWithItsProjectReferences()
    {
        Dictionary<string, (int Line, string[] Cells)> rows = ProjectRows();
        var problems = new List<string>();
        foreach (string project in RepositoryFiles.SolutionProjects().Where(p => p.StartsWith("src/", StringComparison.Ordinal)))
        {
            string directory = Path.GetDirectoryName(project)!.Replace('\\', '/');
            if (!rows.TryGetValue(directory, out var row))
            {
                problems.Add($"{directory} (in Actors.sln) has no row in a project table of {Document}; add `| `{directory}` | {Format(RepositoryFiles.ProjectReferences(project))} | what it holds | its tests |`");
                continue;
            }

            IReadOnlySet<string> actual = RepositoryFiles.ProjectReferences(project);
            var documented = MarkdownTables.CodeSpans(row.Cells[1]).ToHashSet(StringComparer.Ordinal);
            if (!documented.SetEquals(actual))
            {
                problems.Add($"{Document}:{row.Line}: {directory} references {Format(actual)} in {project}; the table says {Format(documented)}");
            }
        }

        foreach (var (directory, row) in rows)
        {
            if (!RepositoryFiles.SolutionProjects().Any(p => p.StartsWith(directory + "/", StringComparison.Ordinal)))
            {
                problems.Add($"{Document}:{row.Line}: {directory} has a row but is not a project of Actors.sln");
            }
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void CitedPaths_EveryRepositoryPathTheDocumentNames_Exists()
    {
        string[] missing = [.. CodeSpansOutsideFences()
            .Where(LooksLikeRepositoryPath)
            .Select(p => p.TrimEnd('/'))
            .Where(p => !RepositoryFiles.Exists(p))
            .Distinct(StringComparer.Ordinal)];

        Assert.True(missing.Length == 0, $"{Document} cites paths that do not exist: {string.Join(", ", missing)}");
    }

    [Fact]
    public void NamedTypes_EveryTypeTheDocumentNames_IsDeclaredInTheSources()
    {
        var projects = RepositoryFiles.SolutionProjects().Select(Path.GetFileNameWithoutExtension).ToHashSet(StringComparer.Ordinal);
        string[] unknown = [.. CodeSpansOutsideFences()
            .Where(s => !FileName().IsMatch(s) && !projects.Contains(s))
            .Select(s => TypeReference().Match(s))
            .Where(m => m.Success)
            .Select(m => m.Groups[1].Value)
            .Where(t => !ExternalTypes.Contains(t) && !SourceTypes.IsDeclared(t))
            .Distinct(StringComparer.Ordinal)];

        Assert.True(unknown.Length == 0, $"{Document} names types no source file declares (rename them, or list an Orleans/.NET type in {nameof(ExternalTypes)}): {string.Join(", ", unknown)}");
    }

    /// <summary>A root-relative path: it starts with one of the repository's top-level directories and holds no space.</summary>
    internal static bool LooksLikeRepositoryPath(string span)
        => !span.Contains(' ', StringComparison.Ordinal) && !span.Contains('*', StringComparison.Ordinal)
            && new[] { "src/", "tests/", "silo/", "client-demo/", "docs/", "scripts/", "samples/", "deploy/" }.Any(p => span.StartsWith(p, StringComparison.Ordinal));

    private static IEnumerable<string> CodeSpansOutsideFences() => MarkdownTables.CodeSpans(MarkdownTables.WithoutFences(RepositoryFiles.Read(Document)));

    /// <summary>Rows whose first cell is a project directory (<c>`src/Name`</c>), by that directory.</summary>
    private static Dictionary<string, (int Line, string[] Cells)> ProjectRows()
    {
        var rows = new Dictionary<string, (int, string[])>(StringComparer.Ordinal);
        foreach (var (line, cells) in MarkdownTables.Rows(RepositoryFiles.Read(Document)))
        {
            Match project = ProjectCell().Match(cells[0]);
            if (project.Success && cells.Length >= 2)
            {
                Assert.True(rows.TryAdd(project.Groups[1].Value, (line, cells)), $"{Document}:{line}: a second row for {project.Groups[1].Value}");
            }
        }

        return rows;
    }

    private static string Format(IEnumerable<string> names)
    {
        string[] sorted = [.. names.Order(StringComparer.Ordinal)];
        return sorted.Length == 0 ? "none" : string.Join(", ", sorted.Select(n => $"`{n}`"));
    }

    /// <summary>A file name such as <c>Actors.sln</c> or <c>LogValueRecord.cs</c>: not a type.</summary>
    [GeneratedRegex(@"\.(sln|cs|csproj|md|json|props|targets|sh|py|yml)$")]
    private static partial Regex FileName();

    [GeneratedRegex(@"^`(src/[A-Za-z0-9.]+)`$")]
    private static partial Regex ProjectCell();

    /// <summary>A span that is a type name, optionally generic or followed by members: <c>SiloLog</c>, <c>WriteAheadLog.AppendAsync</c>.</summary>
    [GeneratedRegex(@"^([A-Z](?=\w*[a-z])\w*)(?:<[^>]*>)?(?:\.\w+)*(?:\(\))?$")]
    private static partial Regex TypeReference();
}
