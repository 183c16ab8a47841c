using System.Diagnostics;

namespace Actors.Orleans.Package.Tests;

/// <summary>Runs a command of the user's path (dotnet pack, build, the app) and fails with its output when it fails.</summary>
internal static class Command
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(8);

    /// <summary>Runs <paramref name="file"/> in <paramref name="directory"/>; returns its standard output and error and how long it took.</summary>
    public static async Task<(string Output, TimeSpan Elapsed)> RunAsync(string file, string[] arguments, string directory)
    {
        var clock = Stopwatch.StartNew();
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
        using var timeout = new CancellationTokenSource(Timeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"'{file} {string.Join(' ', arguments)}' did not finish within {Timeout} in {directory}.");
        }

        string text = await stdout + await stderr;
        Assert.True(process.ExitCode == 0, $"'{file} {string.Join(' ', arguments)}' in {directory} exited with {process.ExitCode}:\n{text}");
        return (text, clock.Elapsed);
    }
}
