using Actors.Client;
using Actors.ClientDemo.Launching;
using Actors.Demo.Grains.Monitoring;
using Xunit.Abstractions;

namespace Actors.Crash.Tests.Process;

/// <summary>
/// Reminders across SIGKILL of the real silo executable: the heartbeat grain's reminder lives in the silo's
/// write-ahead log, so after each kill and restart it beats again without being registered again, and no beat that a
/// client saw recorded is lost.
/// </summary>
public sealed class ReminderKillTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan Period = TimeSpan.FromMilliseconds(300);
    private static readonly TimeSpan PhaseLimit = TimeSpan.FromSeconds(120);

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "actors-reminder-kill-" + Guid.NewGuid().ToString("N"));

    [Fact]
    [Trait("Category", "Crash")]
    public async Task RealSilo_SigkilledWhileAReminderBeats_ReminderResumesAfterEveryRestartAndNoRecordedBeatIsLost()
    {
        var launch = new SiloLaunchOptions { DataDirectory = _directory, StartTimeout = PhaseLimit };
        launch.Environment["ACTORS__REMINDERS__MINIMUMREMINDERPERIOD"] = "00:00:00.200";
        SiloProcess silo = await SiloProcess.StartAsync(launch);
        try
        {
            long seen = await WithClientAsync(silo, async heart =>
            {
                await heart.Start(Period);
                return await WaitForBeatsAsync(heart, minimum: 3, "the first beats");
            });

            for (int cycle = 1; cycle <= 3; cycle++)
            {
                await silo.KillAsync();
                await silo.DisposeAsync();
                silo = await SiloProcess.StartAsync(launch);
                long afterRestart = await WithClientAsync(silo, async heart =>
                {
                    HeartbeatStatus status = await heart.GetStatus();
                    Assert.True(status.Beats >= seen, $"cycle {cycle}: {status.Beats} beats after the restart, but a client saw {seen} recorded before the kill");
                    Assert.True(status.Running, $"cycle {cycle}: the heartbeat reminder is not registered after the restart");
                    return await WaitForBeatsAsync(heart, status.Beats + 2, $"cycle {cycle}: two beats after the restart");
                });
                output.WriteLine($"cycle {cycle}: {seen} beats seen before the kill, {afterRestart} after the restart (silo restart {silo.StartDuration.TotalSeconds:F1} s)");
                seen = afterRestart;
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

    private static async Task<long> WithClientAsync(SiloProcess silo, Func<IHeartbeatGrain, Task<long>> work)
    {
        await using IClusterClient client = new ClusterClientBuilder().UseGateway(silo.GatewayEndPoint).Build();
        await client.ConnectAsync().WaitAsync(PhaseLimit);
        return await work(client.GetGrain<IHeartbeatGrain>("kill-test"));
    }

    private static async Task<long> WaitForBeatsAsync(IHeartbeatGrain heart, long minimum, string what)
    {
        DateTime limit = DateTime.UtcNow + PhaseLimit;
        while (true)
        {
            long beats = (await heart.GetStatus()).Beats;
            if (beats >= minimum)
            {
                return beats;
            }

            if (DateTime.UtcNow > limit)
            {
                throw new TimeoutException($"Waited {PhaseLimit} for {what}: {minimum} beats; saw {beats}.");
            }

            await Task.Delay(50);
        }
    }
}
