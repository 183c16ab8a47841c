using Actors.Client;
using Actors.ClientDemo.Launching;
using Telemetry;
using Xunit.Abstractions;

namespace Actors.Streaming.Tests.Process;

/// <summary>
/// Streams across SIGKILL of a real silo process (the telemetry sample's silo: the product's silo executable plus the
/// sample): a client produces readings through the gateway, the silo is killed while subscribers are being delivered
/// to, and after each restart every reading the client saw acknowledged reaches both subscribers, in order, once.
/// </summary>
public sealed class TelemetryKillTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan PhaseLimit = TimeSpan.FromSeconds(120);
    private const double Threshold = 50;

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "actors-stream-kill-" + Guid.NewGuid().ToString("N"));

    [Fact]
    [Trait("Category", "Crash")]
    public async Task RealSilo_SigkilledDuringDelivery_EveryAcknowledgedReadingReachesEverySubscriberInOrderAfterRestart()
    {
        var launch = new SiloLaunchOptions
        {
            DataDirectory = _directory,
            SiloAssemblyPath = Path.Combine(AppContext.BaseDirectory, "Telemetry.Silo.dll"),
            StartTimeout = PhaseLimit,
        };
        SiloProcess silo = await SiloProcess.StartAsync(launch);
        long acknowledged = 0;
        try
        {
            await using (IClusterClient client = await ConnectAsync(silo))
            {
                await client.GetGrain<IAlertGrain>("ops").Watch("boiler", Threshold);
            }

            for (int cycle = 1; cycle <= 2; cycle++)
            {
                acknowledged = await ProduceThenKillAsync(silo, acknowledged);
                await silo.DisposeAsync();
                silo = await SiloProcess.StartAsync(launch);
                await using IClusterClient client = await ConnectAsync(silo);
                DeviceStats stats = await WaitForAsync(() => client.GetGrain<IDeviceStatsGrain>("boiler").GetStats(), s => s.Count >= acknowledged, $"cycle {cycle}: {acknowledged} readings counted");
                List<Alert> alerts = await WaitForAsync(() => client.GetGrain<IAlertGrain>("ops").GetAlerts(), a => a.Count >= ExpectedAlerts(stats.Count), $"cycle {cycle}: the alerts of {stats.Count} readings");

                Assert.True(stats.Contiguous, $"cycle {cycle}: the statistics grain saw a gap in the tokens");
                Assert.Equal(stats.Count, stats.LastSequenceNumber);
                Assert.Equal(Enumerable.Range(1, (int)stats.Count).Where(s => ValueOf(s) > Threshold).Select(s => (long)s), alerts.Select(a => a.SequenceNumber));
                Assert.All(alerts, a => Assert.Equal(ValueOf(a.SequenceNumber), a.Value));
                Assert.Equal(acknowledged, stats.Count);
                output.WriteLine($"cycle {cycle}: {acknowledged} acknowledged before the kill, {stats.Count} counted after the restart, {stats.DuplicatesSkipped} redeliveries recognized by token, restart {silo.StartDuration.TotalSeconds:F1} s");
                acknowledged = stats.Count;
            }
        }
        finally
        {
            await silo.KillAsync();
            await silo.DisposeAsync();
        }
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    /// <summary>Reading <c>n</c> (the n-th of the device, so its stream sequence number) has value n mod 100.</summary>
    private static double ValueOf(long sequenceNumber) => sequenceNumber % 100;

    private static int ExpectedAlerts(long count) => (int)Enumerable.Range(1, (int)count).Count(s => ValueOf(s) > Threshold);

    /// <summary>
    /// Reports 50 readings one by one and 200 in one batch, then kills the silo at once: the subscribers (which write their
    /// state per reading) are still being delivered the batch. Returns the readings acknowledged (all of them: nothing
    /// is in flight at the kill, so the count is exact).
    /// </summary>
    private static async Task<long> ProduceThenKillAsync(SiloProcess silo, long from)
    {
        long acknowledged = from;
        await using (IClusterClient client = await ConnectAsync(silo))
        {
            IDeviceGrain boiler = client.GetGrain<IDeviceGrain>("boiler");
            for (int i = 0; i < 50; i++)
            {
                await boiler.Report(ValueOf(acknowledged + 1));
                acknowledged++;
            }

            await boiler.ReportMany([.. Enumerable.Range(1, 200).Select(i => ValueOf(acknowledged + i))]);
            acknowledged += 200;
        }

        await silo.KillAsync();
        return acknowledged;
    }

    private static async Task<IClusterClient> ConnectAsync(SiloProcess silo)
    {
        IClusterClient client = new ClusterClientBuilder().UseGateway(silo.GatewayEndPoint).Build();
        await client.ConnectAsync().WaitAsync(PhaseLimit);
        return client;
    }

    private static async Task<T> WaitForAsync<T>(Func<Task<T>> read, Func<T, bool> done, string what)
    {
        DateTime limit = DateTime.UtcNow + PhaseLimit;
        while (true)
        {
            T value = await read();
            if (done(value))
            {
                return value;
            }

            if (DateTime.UtcNow > limit)
            {
                throw new TimeoutException($"Waited {PhaseLimit} for {what}.");
            }

            await Task.Delay(50);
        }
    }
}
