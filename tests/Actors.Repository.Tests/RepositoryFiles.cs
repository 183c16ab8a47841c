using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Actors.Repository.Tests;

/// <summary>The repository as files: its root (found from the test's output directory), the solution's projects, their references.</summary>
internal static partial class RepositoryFiles
{
    /// <summary>The directory holding <c>Actors.sln</c>, found upward from the test assembly.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>The path of a repository file or directory, from a path relative to the root.</summary>
    public static string PathOf(string relative) => Path.Combine(Root, relative.Replace('/', Path.DirectorySeparatorChar));

    /// <summary>The text of a repository file.</summary>
    public static string Read(string relative) => File.ReadAllText(PathOf(relative));

    /// <summary>Every project <c>Actors.sln</c> lists, as a root-relative path with forward slashes (<c>src/Actors.Wal/Actors.Wal.csproj</c>).</summary>
    public static IReadOnlyList<string> SolutionProjects()
        => [.. SolutionProjectLine().Matches(Read("Actors.sln")).Select(m => m.Groups[1].Value.Replace('\\', '/')).Order(StringComparer.Ordinal)];

    /// <summary>The projects a project references (<c>ProjectReference</c>), by project name (the file name without <c>.csproj</c>).</summary>
    public static IReadOnlySet<string> ProjectReferences(string project)
    {
        XDocument document = XDocument.Load(PathOf(project));
        return document.Descendants("ProjectReference")
            .Select(r => Path.GetFileNameWithoutExtension(r.Attribute("Include")!.Value.Replace('\\', '/')))
            .ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>True when a root-relative path names an existing file or directory.</summary>
    public static bool Exists(string relative) => File.Exists(PathOf(relative)) || Directory.Exists(PathOf(relative));

    private static string FindRoot()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Actors.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No Actors.sln in {AppContext.BaseDirectory} or any directory above it.");
    }

    [GeneratedRegex(@"^Project\(""\{[^}]+\}""\) = ""[^""]+"", ""([^""]+\.csproj)""", RegexOptions.Multiline)]
    private static partial Regex SolutionProjectLine();
}
