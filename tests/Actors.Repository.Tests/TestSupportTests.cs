using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Actors.Repository.Tests;

/// <summary>
/// One test support: what the test projects share lives in <c>tests/Actors.Testing</c> (no engine) or
/// <c>tests/Actors.Testing.PowerCut</c> (the engine's file layer), not in copies or in source files one project compiles
/// from another.
/// </summary>
public sealed class TestSupportTests
{
    /// <summary>The shared helpers, each declared once, in a test-support project.</summary>
    private static readonly string[] SharedHelpers = ["TempDirectory", "Eventually", "TmpfsMount", "PostgresServer", "FaultInjectingFileSystem", "AsyncDisposableStart"];

    private static readonly string[] SupportProjects = ["tests/Actors.Testing/", "tests/Actors.Testing.PowerCut/"];

    /// <summary>
    /// Copies still allowed, each with why. Remove an entry once its copy is gone; add none.
    /// </summary>
    private static readonly HashSet<string> AllowedCopies = new(StringComparer.Ordinal);

    /// <summary>
    /// Source files compiled by a project other than their own, still allowed, each with why. Remove an entry once the
    /// shared code is in a project both reference; add none.
    /// </summary>
    private static readonly HashSet<string> AllowedLinks = new(StringComparer.Ordinal);

    [Fact]
    public void SharedHelpers_DeclaredOutsideTheTestSupportProjects_NoCopies()
    {
        var copies = new List<string>();
        foreach (string root in new[] { "src", "silo", "client-demo", "samples", "tests" })
        {
            foreach (string file in SourceTypes.CSharpFiles(root))
            {
                string relative = Path.GetRelativePath(RepositoryFiles.Root, file).Replace('\\', '/');
                if (SupportProjects.Any(p => relative.StartsWith(p, StringComparison.Ordinal)))
                {
                    continue;
                }

                string text = PartialTypeMembers.Blank(File.ReadAllText(file));
                copies.AddRange(SharedHelpers
                    .Where(name => Regex.IsMatch(text, $@"\b(?:class|struct|record)\s+{name}\b"))
                    .Select(name => $"{relative}: {name}"));
            }
        }

        string[] unexpected = [.. copies.Where(c => !AllowedCopies.Contains(c))];
        string[] stale = [.. AllowedCopies.Where(c => !copies.Contains(c))];
        Assert.True(unexpected.Length == 0, $"Use the test-support project's helper instead of these copies: {string.Join(", ", unexpected)}");
        Assert.True(stale.Length == 0, $"These allowed copies are gone: remove them from {nameof(AllowedCopies)}: {string.Join(", ", stale)}");
    }

    [Fact]
    public void Projects_CompileSourcesOfAnotherDirectory_OnlyTheAllowedLinks()
    {
        var links = new List<string>();
        foreach (string project in RepositoryFiles.SolutionProjects())
        {
            links.AddRange(XDocument.Load(RepositoryFiles.PathOf(project)).Descendants("Compile")
                .Select(c => c.Attribute("Include")?.Value)
                .Where(include => include is not null && include.Replace('\\', '/').StartsWith("../", StringComparison.Ordinal))
                .Select(include => $"{project}: {include!.Replace('\\', '/')}"));
        }

        string[] unexpected = [.. links.Where(l => !AllowedLinks.Contains(l))];
        string[] stale = [.. AllowedLinks.Where(l => !links.Contains(l))];
        Assert.True(unexpected.Length == 0, $"Put shared code in a project both reference instead of compiling another project's files: {string.Join(", ", unexpected)}");
        Assert.True(stale.Length == 0, $"These allowed links are gone: remove them from {nameof(AllowedLinks)}: {string.Join(", ", stale)}");
    }
}
