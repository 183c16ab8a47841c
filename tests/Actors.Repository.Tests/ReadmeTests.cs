namespace Actors.Repository.Tests;

/// <summary><c>README.md</c> against the repository: the layout table names every project and only paths that exist.</summary>
public sealed class ReadmeTests
{
    [Fact]
    public void LayoutTable_EverySourceAndProgramProject_IsNamed()
    {
        var named = LayoutPaths().Select(p => p.TrimEnd('/')).ToHashSet(StringComparer.Ordinal);
        string[] missing = [.. RepositoryFiles.SolutionProjects()
            .Select(p => Path.GetDirectoryName(p)!.Replace('\\', '/'))
            .Where(d => d.StartsWith("src/", StringComparison.Ordinal) || d.StartsWith("silo/", StringComparison.Ordinal) || d.StartsWith("client-demo/", StringComparison.Ordinal))
            .Where(d => !named.Contains(d))];

        Assert.True(missing.Length == 0, $"README.md's layout table does not name these projects of Actors.sln: {string.Join(", ", missing)}");
    }

    [Fact]
    public void LayoutTable_EveryProjectOfTheSolution_IsNamedInARow()
    {
        string[] named = [.. LayoutPaths(allColumns: true).Select(p => p.TrimEnd('/'))];
        string[] missing = [.. RepositoryFiles.SolutionProjects()
            .Select(p => Path.GetDirectoryName(p)!.Replace('\\', '/'))
            .Where(d => !named.Any(n => d == n || d.StartsWith(n + "/", StringComparison.Ordinal)))];

        Assert.True(missing.Length == 0, $"README.md's layout table names neither these projects of Actors.sln nor a directory holding them (a row, or a row's tests column): {string.Join(", ", missing)}");
    }

    [Fact]
    public void LayoutTable_EveryPathItNames_Exists()
    {
        string[] missing = [.. LayoutPaths().Where(p => !RepositoryFiles.Exists(p.TrimEnd('/')))];

        Assert.True(missing.Length == 0, $"README.md's layout table names paths that do not exist: {string.Join(", ", missing)}");
    }

    [Fact]
    public void Readme_TheTwoCommands_AreThere()
    {
        string readme = RepositoryFiles.Read("README.md");

        Assert.Contains("dotnet run --project client-demo/Actors.Orleans.ClientDemo", readme, StringComparison.Ordinal);
        Assert.Contains("dotnet test Actors.sln", readme, StringComparison.Ordinal);
    }

    /// <summary>The repository paths in the code spans of the table under <c>## Layout</c>: its first column, or with <paramref name="allColumns"/> every column.</summary>
    private static IEnumerable<string> LayoutPaths(bool allColumns = false)
    {
        string readme = RepositoryFiles.Read("README.md");
        int start = readme.IndexOf("\n## Layout", StringComparison.Ordinal);
        Assert.True(start >= 0, "README.md has no '## Layout' section");
        int end = readme.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
        string section = end < 0 ? readme[start..] : readme[start..end];
        return MarkdownTables.Rows(section)
            .SelectMany(r => r.Cells.Take(allColumns ? r.Cells.Length : 1))
            .SelectMany(MarkdownTables.CodeSpans)
            .Where(ArchitectureDocumentTests.LooksLikeRepositoryPath);
    }
}
