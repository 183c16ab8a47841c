using Actors.Orleans.Log;
using Actors.Orleans.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Actors.Orleans.Tests.Diagnostics;

/// <summary><c>AddWriteAheadLogHealthCheck</c>: healthy while the silo's log is open, the registration's failure status otherwise.</summary>
public sealed class WriteAheadLogHealthCheckTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task AddWriteAheadLogHealthCheck_LogOpenThenClosed_HealthyThenFailureStatusWithTheDirectory()
    {
        ProviderHarness harness = await ProviderHarness.OpenAsync(_directory.Path);
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(harness.Log);
        services.AddHealthChecks().AddWriteAheadLogHealthCheck(failureStatus: HealthStatus.Degraded, tags: ["ready"]);
        await using ServiceProvider provider = services.BuildServiceProvider();
        HealthCheckService health = provider.GetRequiredService<HealthCheckService>();

        HealthReport open = await health.CheckHealthAsync();
        HealthReportEntry entry = open.Entries[WriteAheadLogHealthCheckBuilderExtensions.DefaultName];
        Assert.Equal(HealthStatus.Healthy, entry.Status);
        Assert.Equal(nameof(SiloLogState.Open), entry.Data["state"]);
        Assert.Equal(_directory.Path, entry.Data["directory"]);
        Assert.Contains("ready", entry.Tags);

        await harness.DisposeAsync();
        HealthReport closed = await health.CheckHealthAsync();
        Assert.Equal(HealthStatus.Degraded, closed.Entries[WriteAheadLogHealthCheckBuilderExtensions.DefaultName].Status);
        Assert.Contains(_directory.Path, closed.Entries[WriteAheadLogHealthCheckBuilderExtensions.DefaultName].Description, StringComparison.Ordinal);
    }
}
