using System.Reflection;

namespace Actors.Orleans.Package.Tests;

/// <summary>
/// The packages packed into a temporary local feed under a version no registry has, and a fresh Orleans application
/// outside the solution (its own <c>nuget.config</c>: the local feed beside the machine's sources) restored and built
/// from them. Made once for the tests of <see cref="LocalFeedTests"/>.
/// </summary>
public sealed class LocalFeed : IAsyncLifetime
{
    /// <summary>Every package of the repository (docs/getting-started.md, section 9).</summary>
    public static readonly string[] Packages =
    [
        "Actors.Wal.Files", "Actors.Wal", "Actors.Wal.Entries", "Actors.Orleans.Abstractions", "Actors.Orleans",
        "Actors.Replication", "Actors.Replication.Wal", "Actors.Replication.PostgreSql", "Actors.Orleans.Clustering",
    ];

    private readonly List<string> _timings = [];

    /// <summary>The temporary directory holding the feed, the application and the tests' data.</summary>
    public string Root { get; } = Path.Combine(Path.GetTempPath(), "actors-package-tests", Guid.NewGuid().ToString("N"));

    /// <summary>A version no registry has, so a restore can only have taken the packages from the local feed.</summary>
    public string Version { get; } = $"0.0.0-localfeed.{DateTime.UtcNow:yyyyMMddHHmmss}.{Environment.ProcessId}";

    /// <summary>The application's directory.</summary>
    public string App => Path.Combine(Root, "app");

    /// <summary>The built application.</summary>
    public string Dll => Path.Combine(App, "bin", "Debug", "net10.0", "App.dll");

    /// <summary>How long packing and building took.</summary>
    public IReadOnlyList<string> Timings => _timings;

    public async Task InitializeAsync()
    {
        string repository = FindRepository();
        string feed = Directory.CreateDirectory(Path.Combine(Root, "feed")).FullName;
        Directory.CreateDirectory(App);

        // The solution's configuration and PackageVersion (not Version) leave the assemblies as the solution's build made
        // them, so pack only packs.
        await RunAsync("dotnet", ["pack", Path.Combine(repository, "Actors.Packages.slnf"), "-c", Configuration, "-o", feed, $"-p:PackageVersion={Version}", "-nologo", "-v", "q"], repository);
        foreach (string id in Packages)
        {
            Assert.True(File.Exists(Path.Combine(feed, $"{id}.{Version}.nupkg")), $"dotnet pack did not produce {id}.{Version}.nupkg in {feed}");
            Assert.True(File.Exists(Path.Combine(feed, $"{id}.{Version}.snupkg")), $"dotnet pack did not produce the symbols {id}.{Version}.snupkg in {feed}");
        }

        WriteApp(feed);
        await RunAsync("dotnet", ["build", App, "-nologo", "-v", "q"], App);
        string assets = await File.ReadAllTextAsync(Path.Combine(App, "obj", "project.assets.json"));
        foreach (string id in Packages)
        {
            Assert.True(assets.Contains($"\"{id}/{Version}\"", StringComparison.Ordinal), $"the application's restore did not take {id} {Version} (obj/project.assets.json)");
        }
    }

    public Task DisposeAsync()
    {
        // The packages of this run in the machine's package cache: nothing else uses this version.
        string cache = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        foreach (string id in Packages)
        {
            string packageDirectory = Path.Combine(cache, id.ToLowerInvariant());
            TryDelete(Path.Combine(packageDirectory, Version));
            if (Directory.Exists(packageDirectory) && !Directory.EnumerateFileSystemEntries(packageDirectory).Any())
            {
                TryDelete(packageDirectory);
            }
        }

        TryDelete(Root);
        return Task.CompletedTask;
    }

    private async Task RunAsync(string file, string[] arguments, string directory)
    {
        (_, TimeSpan elapsed) = await Command.RunAsync(file, arguments, directory);
        _timings.Add($"{elapsed.TotalSeconds:F1} s: {file} {arguments[0]}");
    }

    private void WriteApp(string feed)
    {
        string templates = Path.Combine(AppContext.BaseDirectory, "App");
        string Fill(string template) => File.ReadAllText(Path.Combine(templates, template))
            .Replace("{{FEED}}", feed, StringComparison.Ordinal)
            .Replace("{{VERSION}}", Version, StringComparison.Ordinal);
        File.WriteAllText(Path.Combine(App, "App.csproj"), Fill("App.csproj.txt"));
        File.WriteAllText(Path.Combine(App, "Program.cs"), Fill("Program.cs.txt"));
        File.WriteAllText(Path.Combine(App, "nuget.config"), Fill("nuget.config.txt"));

        // Empty build files stop MSBuild from importing any above the temp directory.
        File.WriteAllText(Path.Combine(App, "Directory.Build.props"), "<Project />");
        File.WriteAllText(Path.Combine(App, "Directory.Build.targets"), "<Project />");
        File.WriteAllText(Path.Combine(App, "Directory.Packages.props"), "<Project />");
    }

    private static string Configuration =>
        typeof(LocalFeed).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "Configuration").Value ?? "Debug";

    private static string FindRepository()
    {
        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Actors.Packages.slnf")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"no Actors.Packages.slnf above {AppContext.BaseDirectory}");
    }

    private static void TryDelete(string path)
    {
        try
        {
            if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
            }
        }
        catch (IOException)
        {
            // Left for the OS's temp cleanup.
        }
    }
}
