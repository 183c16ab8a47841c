using Actors.Hosting;
using Actors.Persistence.Wal.Hosting;
using Actors.TestingHost;
using Telemetry;

namespace Actors.Streaming.Tests.Samples;

/// <summary>Drives the telemetry sample (samples/Streaming) in an in-process silo: producer, implicit and explicit subscribers.</summary>
[Trait("Category", "Integration")]
public sealed class TelemetrySampleTests
{
    private static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Telemetry_ReadingsReported_StatsCountEachOnceAndWatcherSeesThoseAboveItsThreshold()
    {
        await using TestCluster cluster = await StartAsync();
        IAlertGrain watcher = cluster.Client.GetGrain<IAlertGrain>("ops");
        await watcher.Watch("pump-1", threshold: 80);
        IDeviceGrain pump = cluster.Client.GetGrain<IDeviceGrain>("pump-1");

        for (int i = 1; i <= 10; i++)
        {
            await pump.Report(i * 10);
        }

        await pump.ReportMany([5, 95, 7]);
        DeviceStats stats = await WaitForAsync(() => cluster.Client.GetGrain<IDeviceStatsGrain>("pump-1").GetStats(), s => s.Count == 13, "13 readings counted");
        List<Alert> alerts = await WaitForAsync(watcher.GetAlerts, a => a.Count == 3, "3 alerts");

        Assert.Equal(13, stats.LastSequenceNumber);
        Assert.True(stats.Contiguous);
        Assert.Equal(100, stats.Max);
        Assert.Equal([new Alert("pump-1", 9, 90), new Alert("pump-1", 10, 100), new Alert("pump-1", 12, 95)], alerts);
    }

    [Fact]
    public async Task Telemetry_SiloRestarted_WatcherResumesItsSubscriptionWithoutWatchingAgain()
    {
        await using TestCluster cluster = await StartAsync();
        await cluster.Client.GetGrain<IAlertGrain>("night").Watch("fan-2", threshold: 0);
        await cluster.Client.GetGrain<IDeviceGrain>("fan-2").Report(1);
        await WaitForAsync(cluster.Client.GetGrain<IAlertGrain>("night").GetAlerts, a => a.Count == 1, "the first alert");

        await cluster.StopSiloAsync(cluster.Primary);
        await cluster.RestartSiloAsync(cluster.Primary);
        await cluster.Client.GetGrain<IDeviceGrain>("fan-2").Report(2);
        List<Alert> alerts = await WaitForAsync(cluster.Client.GetGrain<IAlertGrain>("night").GetAlerts, a => a.Count == 2, "the alert after the restart");

        Assert.Equal([new Alert("fan-2", 1, 1), new Alert("fan-2", 2, 2)], alerts);
    }

    private static async Task<TestCluster> StartAsync()
    {
        var builder = new TestClusterBuilder();
        builder.ConfigureSilo(silo => silo
            .AddWriteAheadLogAsDefault(o =>
            {
                o.Directory = Path.Combine(silo.GetTestSiloContext().DataDirectory, "wal");
                o.PreallocateSegments = false;
            })
            .AddTelemetrySample());
        TestCluster cluster = builder.Build();
        await cluster.DeployAsync();
        return cluster;
    }

    /// <summary>Polls a grain until <paramref name="done"/> holds (the sample's subscribers are grains; their state is read by calls).</summary>
    private static async Task<T> WaitForAsync<T>(Func<Task<T>> read, Func<T, bool> done, string what)
    {
        DateTime limit = DateTime.UtcNow + WaitLimit;
        while (true)
        {
            T value = await read();
            if (done(value))
            {
                return value;
            }

            if (DateTime.UtcNow > limit)
            {
                throw new TimeoutException($"Waited {WaitLimit} for {what}.");
            }

            await Task.Delay(20);
        }
    }
}
