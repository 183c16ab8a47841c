using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using Xunit.Abstractions;

namespace Actors.Orleans.Package.Tests;

/// <summary>
/// The user's real path: the providers packed into a local feed, a fresh Orleans application outside the solution that
/// restores them from that feed (beside the machine's own sources for Orleans), and a <c>[WriteAheadLog]</c> grain whose
/// state survives a restart of the silo.
/// </summary>
public sealed class LocalFeedTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(8);
    private static readonly string[] Packages = ["Actors.Wal.Files", "Actors.Wal", "Actors.Orleans.Abstractions", "Actors.Orleans"];

    private readonly ITestOutputHelper _output = output;

    private readonly string _root = Path.Combine(Path.GetTempPath(), "actors-package-tests", Guid.NewGuid().ToString("N"));

    // A version no registry has, so the restore can only have taken the packages from the local feed.
    private readonly string _version = $"0.0.0-localfeed.{DateTime.UtcNow:yyyyMMddHHmmss}.{Environment.ProcessId}";

    public void Dispose()
    {
        // The packages of this run in the machine's package cache: nothing else uses this version.
        string cache = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        foreach (string id in Packages)
        {
            string packageDirectory = Path.Combine(cache, id.ToLowerInvariant());
            TryDelete(Path.Combine(packageDirectory, _version));
            if (Directory.Exists(packageDirectory) && !Directory.EnumerateFileSystemEntries(packageDirectory).Any())
            {
                TryDelete(packageDirectory);
            }
        }

        TryDelete(_root);
    }

    [Fact]
    [Trait("Category", "Package")]
    public async Task Packages_RestoredFromLocalFeedIntoFreshApp_GrainStateSurvivesSiloRestart()
    {
        string repository = FindRepository();
        string feed = Directory.CreateDirectory(Path.Combine(_root, "feed")).FullName;
        string app = Directory.CreateDirectory(Path.Combine(_root, "app")).FullName;
        string data = Path.Combine(_root, "data");

        // The solution's configuration and PackageVersion (not Version) leave the assemblies as the solution's build made
        // them, so pack only packs.
        await RunAsync("dotnet", ["pack", Path.Combine(repository, "Actors.Packages.slnf"), "-c", Configuration, "-o", feed, $"-p:PackageVersion={_version}", "-nologo", "-v", "q"], repository);
        foreach (string id in Packages)
        {
            Assert.True(File.Exists(Path.Combine(feed, $"{id}.{_version}.nupkg")), $"dotnet pack did not produce {id}.{_version}.nupkg in {feed}");
            Assert.True(File.Exists(Path.Combine(feed, $"{id}.{_version}.snupkg")), $"dotnet pack did not produce the symbols {id}.{_version}.snupkg in {feed}");
        }

        WriteApp(app, feed);
        await RunAsync("dotnet", ["build", app, "-nologo", "-v", "q"], app);
        string assets = await File.ReadAllTextAsync(Path.Combine(app, "obj", "project.assets.json"));
        Assert.Contains($"\"Actors.Orleans/{_version}\"", assets, StringComparison.Ordinal);
        Assert.Contains($"\"Actors.Wal/{_version}\"", assets, StringComparison.Ordinal);

        string dll = Path.Combine(app, "bin", "Debug", "net10.0", "App.dll");
        string first = await RunAsync("dotnet", [dll, data, Port(), Port(), "3"], app);
        Assert.Contains("visits=3", first, StringComparison.Ordinal);
        string second = await RunAsync("dotnet", [dll, data, Port(), Port(), "1"], app);
        Assert.Contains("visits=4", second, StringComparison.Ordinal);
    }

    private void WriteApp(string app, string feed)
    {
        string templates = Path.Combine(AppContext.BaseDirectory, "App");
        string Fill(string template) => File.ReadAllText(Path.Combine(templates, template))
            .Replace("{{FEED}}", feed, StringComparison.Ordinal)
            .Replace("{{VERSION}}", _version, StringComparison.Ordinal);
        File.WriteAllText(Path.Combine(app, "App.csproj"), Fill("App.csproj.txt"));
        File.WriteAllText(Path.Combine(app, "Program.cs"), Fill("Program.cs.txt"));
        File.WriteAllText(Path.Combine(app, "nuget.config"), Fill("nuget.config.txt"));

        // Empty build files stop MSBuild from importing any above the temp directory.
        File.WriteAllText(Path.Combine(app, "Directory.Build.props"), "<Project />");
        File.WriteAllText(Path.Combine(app, "Directory.Build.targets"), "<Project />");
        File.WriteAllText(Path.Combine(app, "Directory.Packages.props"), "<Project />");
    }

    private async Task<string> RunAsync(string file, string[] arguments, string directory)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var start = new ProcessStartInfo(file) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // A test run inside `dotnet test` must not hand its own MSBuild to the commands.
        foreach (string variable in new[] { "MSBuildExtensionsPath", "MSBuildSDKsPath", "MSBUILD_EXE_PATH" })
        {
            start.Environment.Remove(variable);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {file}");
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(CommandTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"'{file} {string.Join(' ', arguments)}' did not finish within {CommandTimeout} in {directory}.");
        }

        string text = await stdout + await stderr;
        _output.WriteLine($"{clock.Elapsed.TotalSeconds:F1} s: {file} {arguments[0]}");
        Assert.True(process.ExitCode == 0, $"'{file} {string.Join(' ', arguments)}' in {directory} exited with {process.ExitCode}:\n{text}");
        return text;
    }

    private static string Configuration =>
        typeof(LocalFeedTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
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

    private static string Port()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port.ToString(CultureInfo.InvariantCulture);
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
