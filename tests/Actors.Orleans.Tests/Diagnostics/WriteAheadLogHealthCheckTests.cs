using Actors.Orleans.Log;
using Actors.Orleans.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Actors.Orleans.Tests.Diagnostics;

/// <summary>
/// <c>AddWriteAheadLogHealthCheck</c>: healthy while the silo's log is open, degraded while its device is full (reads serve,
/// writes resume by themselves), the registration's failure status otherwise.
/// </summary>
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

    [Fact]
    public async Task AddWriteAheadLogHealthCheck_DeviceFullThenSpaceReturns_DegradedThenHealthy()
    {
        var files = new SegmentCreationRefusingFileSystem();
        var log = new SiloLog(
            Microsoft.Extensions.Options.Options.Create(new SiloLogOptions { Directory = _directory.Path, SegmentSizeBytes = 64 * 1024, MaxRecordSizeBytes = 16 * 1024 }),
            new StreamRetentionRegistry([new Actors.Orleans.Storage.StateRetentionSource("test")]),
            Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance,
            time: null,
            fileSystem: files);
        await log.OpenAsync(CancellationToken.None);
        await using var _ = log;
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(log);
        services.AddHealthChecks().AddWriteAheadLogHealthCheck();
        await using ServiceProvider provider = services.BuildServiceProvider();
        HealthCheckService health = provider.GetRequiredService<HealthCheckService>();

        files.Full = true;
        Actors.Wal.LogDiskFullException? refusal = null;
        long version = 0;
        for (int i = 0; i < 200 && refusal is null; i++)
        {
            try
            {
                version = (await log.Log.AppendAsync("s/test/fill", version, [new byte[3000]])).LastVersion;
            }
            catch (Actors.Wal.LogDiskFullException ex)
            {
                refusal = ex;
            }
        }

        Assert.NotNull(refusal);
        HealthReportEntry full = (await health.CheckHealthAsync()).Entries[WriteAheadLogHealthCheckBuilderExtensions.DefaultName];
        Assert.Equal(HealthStatus.Degraded, full.Status);
        Assert.Equal(nameof(SiloLogState.DiskFull), full.Data["state"]);
        Assert.Contains("no space left on the device", full.Description, StringComparison.Ordinal);
        Assert.Equal(version, (await log.Log.ReadStreamAsync("s/test/fill")).Version); // reads serve

        files.Full = false;
        await log.Log.AppendAsync("s/test/fill", version, [new byte[3000]]);
        Assert.Equal(HealthStatus.Healthy, (await health.CheckHealthAsync()).Entries[WriteAheadLogHealthCheckBuilderExtensions.DefaultName].Status);
    }
}
