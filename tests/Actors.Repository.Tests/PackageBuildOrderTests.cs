using System.Text.Json;
using System.Xml.Linq;

namespace Actors.Repository.Tests;

/// <summary>
/// The package test (<c>tests/Actors.Orleans.Package.Tests</c>) runs <c>dotnet pack Actors.Packages.slnf</c> while
/// <c>dotnet test Actors.sln</c> may still be building other projects: it must be built after every packed project, or
/// its pack compiles a project at the same time as the solution's build (tests/TestRun.targets, docs/testing.md).
/// </summary>
public sealed class PackageBuildOrderTests
{
    private const string PackageTests = "tests/Actors.Orleans.Package.Tests/Actors.Orleans.Package.Tests.csproj";

    [Fact]
    public void PackageTests_BuildOrderReferences_AreThePackedProjects()
    {
        using JsonDocument filter = JsonDocument.Parse(RepositoryFiles.Read("Actors.Packages.slnf"));
        string[] packed = [.. filter.RootElement.GetProperty("solution").GetProperty("projects").EnumerateArray()
            .Select(p => p.GetString()!.Replace('\\', '/'))
            .Order(StringComparer.Ordinal)];

        string directory = Path.GetDirectoryName(RepositoryFiles.PathOf(PackageTests))!;
        string[] ordered = [.. XDocument.Load(RepositoryFiles.PathOf(PackageTests)).Descendants("ProjectReference")
            .Where(r => string.Equals((string?)r.Attribute("ReferenceOutputAssembly"), "false", StringComparison.OrdinalIgnoreCase))
            .Select(r => Path.GetRelativePath(RepositoryFiles.Root, Path.GetFullPath(Path.Combine(directory, r.Attribute("Include")!.Value))).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)];

        Assert.True(
            packed.SequenceEqual(ordered),
            $"{PackageTests} must reference exactly the projects of Actors.Packages.slnf with ReferenceOutputAssembly=\"false\"; " +
            $"packed but not referenced: [{string.Join(", ", packed.Except(ordered))}], referenced but not packed: [{string.Join(", ", ordered.Except(packed))}]");
    }
}
