using System.Text.RegularExpressions;

namespace Actors.Repository.Tests;

/// <summary>The type names declared in the repository's C# sources (<c>src/</c>, <c>silo/</c>, <c>client-demo/</c>, and <c>tests/</c>, so a document can name the test that shows a guarantee).</summary>
internal static partial class SourceTypes
{
    private static readonly Lazy<IReadOnlySet<string>> Declared = new(Scan);

    /// <summary>True when some source file declares a class, struct, interface, enum, record or delegate of this name.</summary>
    public static bool IsDeclared(string name) => Declared.Value.Contains(name);

    /// <summary>Every C# file below a root-relative directory, build output excluded.</summary>
    public static IEnumerable<string> CSharpFiles(string directory)
        => Directory.EnumerateFiles(RepositoryFiles.PathOf(directory), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal));

    private static HashSet<string> Scan()
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (string root in new[] { "src", "silo", "client-demo", "tests" })
        {
            foreach (string file in CSharpFiles(root))
            {
                foreach (Match match in Declaration().Matches(File.ReadAllText(file)))
                {
                    names.Add(match.Groups[1].Value);
                }
            }
        }

        return names;
    }

    [GeneratedRegex(@"\b(?:class|struct|interface|enum|record|delegate\s+\S+)\s+([A-Z]\w*)")]
    private static partial Regex Declaration();
}
