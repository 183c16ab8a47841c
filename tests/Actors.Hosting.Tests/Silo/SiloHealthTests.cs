using System.Net;
using System.Text.Json;
using Actors.Persistence.Wal;
using Actors.Silo;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Actors.Hosting.Tests.Silo;

/// <summary>The silo's /health endpoint and its <c>write-ahead-log</c> check, on an in-process silo built by <see cref="SiloApplication"/>.</summary>
public sealed class SiloHealthTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "actors-silo-health-tests", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public async Task Health_WhileRecoveryRuns_Unhealthy503NamingRecovery_ThenHealthyOnceOpen()
    {
        var factory = new GatedEventLogFactory(startReleased: false);
        await using WebApplication app = CreateSilo(factory);
        Task start = app.StartAsync();
        try
        {
            await factory.Opening.WaitAsync(TimeSpan.FromSeconds(20));
            (HttpStatusCode status, JsonElement report) = await HealthPoller.UntilAsync(
                () => Address(app),
                (_, _) => true,
                "any answer while the log open is held by the gate");

            Assert.False(start.IsCompleted, "the silo reported started while its log was still being opened");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
            Assert.Equal("Unhealthy", report.GetProperty("status").GetString());
            Assert.Equal("Unhealthy", HealthPoller.Status(report, "write-ahead-log"));
            Assert.Contains("recovery running", HealthPoller.Description(report, "write-ahead-log"), StringComparison.Ordinal);
            Assert.Equal(1, (await HealthProbeScript.RunAsync(new Uri(Address(app)!).Port)).Code);
        }
        finally
        {
            factory.Release();
        }

        await start.WaitAsync(TimeSpan.FromSeconds(20));
        (HttpStatusCode healthyStatus, JsonElement healthy) = await HealthPoller.UntilAsync(
            () => Address(app), (code, _) => code == HttpStatusCode.OK, "200 once the gate released the log open");
        Assert.Equal(HttpStatusCode.OK, healthyStatus);
        Assert.Equal("Healthy", HealthPoller.Status(healthy, "write-ahead-log"));
        Assert.Contains("log open", HealthPoller.Description(healthy, "write-ahead-log"), StringComparison.Ordinal);
        Assert.Equal(0, (await HealthProbeScript.RunAsync(new Uri(Address(app)!).Port)).Code);
        await app.StopAsync();
    }

    [Fact]
    public async Task Health_AfterInjectedFsyncFailure_Unhealthy503NamingTheFailure()
    {
        var factory = new GatedEventLogFactory(startReleased: true);
        await using WebApplication app = CreateSilo(factory);
        await app.StartAsync().WaitAsync(TimeSpan.FromSeconds(20));
        await HealthPoller.UntilAsync(() => Address(app), (code, _) => code == HttpStatusCode.OK, "200 before the failure is injected");
        FailableEventLog log = await factory.Opened.WaitAsync(TimeSpan.FromSeconds(20));

        log.FailFsync(_directory);
        await Assert.ThrowsAsync<Actors.Wal.LogFailedException>(async () => await log.FlushAsync());

        (HttpStatusCode status, JsonElement report) = await HealthPoller.UntilAsync(
            () => Address(app), (code, _) => code == HttpStatusCode.ServiceUnavailable, "503 after the injected fsync failure");
        Assert.Equal("Unhealthy", HealthPoller.Status(report, "write-ahead-log"));
        string description = HealthPoller.Description(report, "write-ahead-log");
        Assert.Contains("has failed", description, StringComparison.Ordinal);
        Assert.Contains("fsync", description, StringComparison.Ordinal);
        Assert.Equal("Healthy", HealthPoller.Status(report, "data-directory"));
        Assert.Equal(1, (await HealthProbeScript.RunAsync(new Uri(Address(app)!).Port)).Code);
        await app.StopAsync();
    }

    private WebApplication CreateSilo(GatedEventLogFactory factory) => SiloApplication.Create(
        [$"--Actors:DataDirectory={_directory}", "--Actors:Gateway:Port=0", "--Actors:Health:Port=0"],
        services => services.Replace(ServiceDescriptor.Singleton<IEventLogFactory>(factory)));

    private static string? Address(WebApplication app)
    {
        try
        {
            return SiloApplication.HealthAddresses(app).FirstOrDefault(a => !a.EndsWith(":0", StringComparison.Ordinal));
        }
        catch (InvalidOperationException)
        {
            // The server's address list is being filled in while it starts: ask again.
            return null;
        }
    }
}
