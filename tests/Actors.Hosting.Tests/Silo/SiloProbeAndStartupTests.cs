using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Actors.Silo;
using Microsoft.AspNetCore.Builder;
using Xunit.Abstractions;

namespace Actors.Hosting.Tests.Silo;

/// <summary>The container health probe (silo/Actors.Silo/healthcheck.sh), the health line about the previous run, and one-line startup errors.</summary>
public sealed class SiloProbeAndStartupTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "actors-probe-tests", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private string[] Args(params string[] extra) => [$"--Actors:DataDirectory={_directory}", "--Actors:Gateway:Port=0", "--Actors:Health:Port=0", .. extra];

    [Fact]
    public async Task HealthcheckScript_SiloHealthy_ExitsZeroInMilliseconds_NothingListening_ExitsOne()
    {
        await using WebApplication app = SiloApplication.Create(Args());
        await app.StartAsync();
        int port = new Uri(SiloApplication.HealthAddresses(app).Single()).Port;

        (int code, string text, TimeSpan elapsed) = await HealthProbeScript.RunAsync(port, "0.0.0.0");

        Assert.True(code == 0, text);
        Assert.Contains($"http://127.0.0.1:{port}/health -> HTTP/1.1 200 OK: ", text, StringComparison.Ordinal);
        Assert.Contains("\"status\": \"Healthy\"", text, StringComparison.Ordinal);
        output.WriteLine($"probe: exit {code} in {elapsed.TotalMilliseconds:F0} ms (wall clock, this machine's load included)");
        await app.StopAsync();

        (code, text, _) = await HealthProbeScript.RunAsync(port, "127.0.0.1");
        Assert.True(code == 1, text);
        Assert.Contains("unreachable", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HealthcheckScript_PathAnswering404_ExitsOne()
    {
        await using WebApplication app = SiloApplication.Create(Args());
        await app.StartAsync();
        int port = new Uri(SiloApplication.HealthAddresses(app).Single()).Port;

        (int code, string text, _) = await HealthProbeScript.RunAsync(port, "127.0.0.1", "/nope");

        Assert.True(code == 1, text);
        Assert.Contains("404", text, StringComparison.Ordinal);
        await app.StopAsync();
    }

    [Fact]
    public async Task Health_NewDirectoryThenRestartAfterAStop_SaysNewLogThenClosedCleanly()
    {
        string first = await WriteAheadLogDescriptionAsync();
        Assert.Contains("new log (the directory held no segment)", first, StringComparison.Ordinal);
        Assert.DoesNotContain("clean shutdown False", first, StringComparison.Ordinal);

        string second = await WriteAheadLogDescriptionAsync();
        Assert.Contains("the previous silo closed the log cleanly", second, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--Actors:Gateway:Port=99999", "Actors:Gateway:Port must be between 0 and 65535")]
    [InlineData("--Actors:ResponseTimeout=abc", "'Actors:ResponseTimeout'")]
    [InlineData("--Actors:Storage:Default:SyncPolicy=Sometimes", "SyncPolicy")]
    [InlineData("--Actors:Metrics:Path=metrics", "Actors:Metrics:Path must start with '/'")]
    public async Task Run_InvalidSetting_PrintsOneLineNamingItAndExitsOne(string setting, string expected)
    {
        (int code, string stdout, string stderr) = await RunSiloProcessAsync(setting);

        Assert.True(code == 1, $"exit {code}\n{stdout}\n{stderr}");
        string[] lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, $"one line expected on stderr:\n{stderr}");
        Assert.StartsWith("Actors silo failed to start: ", lines[0], StringComparison.Ordinal);
        Assert.Contains(expected, lines[0], StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stdout + stderr, StringComparison.Ordinal);

        (_, _, string verbose) = await RunSiloProcessAsync(setting, SiloApplication.VerboseSwitch);
        Assert.Contains("   at ", verbose, StringComparison.Ordinal);
    }

    private async Task<string> WriteAheadLogDescriptionAsync()
    {
        await using WebApplication app = SiloApplication.Create(Args());
        await app.StartAsync();
        using var http = new HttpClient();
        JsonElement report = await http.GetFromJsonAsync<JsonElement>(SiloApplication.HealthAddresses(app).Single() + "/health");
        await app.StopAsync();
        return report.GetProperty("checks").GetProperty("write-ahead-log").GetProperty("description").GetString()!;
    }

    private async Task<(int Code, string Stdout, string Stderr)> RunSiloProcessAsync(params string[] extra)
    {
        var info = new ProcessStartInfo(Environment.ProcessPath!.EndsWith("dotnet", StringComparison.Ordinal) ? Environment.ProcessPath : "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Actors.Silo.dll"));
        foreach (string arg in Args(extra))
        {
            info.ArgumentList.Add(arg);
        }

        using Process silo = Process.Start(info)!;
        Task<string> stdout = silo.StandardOutput.ReadToEndAsync();
        Task<string> stderr = silo.StandardError.ReadToEndAsync();
        await silo.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        return (silo.ExitCode, await stdout, await stderr);
    }
}
