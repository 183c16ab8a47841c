using Actors.Hosting;
using Actors.Persistence.Wal.Hosting;
using Actors.Persistence.Wal.Tests.Cluster;
using Actors.Persistence.Wal.Tests.Grains;
using Actors.TestingHost;
using Microsoft.Extensions.DependencyInjection;

namespace Actors.Persistence.Wal.Tests.Reminders;

/// <summary>Reminders in the write-ahead log of an in-process silo that is killed (buffers abandoned) and restarted.</summary>
[Trait("Category", "Integration")]
public sealed class ReminderClusterTests
{
    private static readonly TimeSpan Period = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(30);

    private readonly TickRecorder _ticks = new();

    [Fact]
    public async Task Reminder_SiloKilledAndRestarted_TicksResumeWithoutRegisteringAgain()
    {
        await using TestCluster cluster = await StartAsync();
        await cluster.Client.GetGrain<IWalReminderGrain>("k").Register("beat", TimeSpan.Zero, Period);
        await WaitForTicksAsync("k/beat", 2);

        await cluster.KillSiloAsync(cluster.Primary);
        int beforeRestart = _ticks.Count("k/beat");
        await cluster.RestartSiloAsync(cluster.Primary);

        await WaitForTicksAsync("k/beat", beforeRestart + 2);
    }

    [Fact]
    public async Task Reminder_UnregisteredBeforeTheKill_NeverTicksAfterTheRestart()
    {
        await using TestCluster cluster = await StartAsync();
        IWalReminderGrain grain = cluster.Client.GetGrain<IWalReminderGrain>("u");
        await grain.Register("gone", TimeSpan.Zero, Period);
        await grain.Register("witness", TimeSpan.Zero, Period);
        await WaitForTicksAsync("u/gone", 1);
        await grain.Unregister("gone");
        int gone = _ticks.Count("u/gone");

        await cluster.KillSiloAsync(cluster.Primary);
        int witness = _ticks.Count("u/witness");
        await cluster.RestartSiloAsync(cluster.Primary);

        await WaitForTicksAsync("u/witness", witness + 3);
        Assert.Equal(gone, _ticks.Count("u/gone"));
    }

    private Task<TestCluster> StartAsync() => WalCluster.StartAsync(configureSilo: silo =>
    {
        silo.AddGrain<WalReminderGrain>().UseWriteAheadLogReminderService();
        silo.Services.AddSingleton(_ticks);
        silo.Services.Configure<ReminderOptions>(o =>
        {
            o.MinimumReminderPeriod = Period;
            o.PartitionCount = 8;
        });
    });

    private async Task WaitForTicksAsync(string key, int count)
    {
        DateTime limit = DateTime.UtcNow + WaitLimit;
        while (_ticks.Count(key) < count)
        {
            if (DateTime.UtcNow > limit)
            {
                throw new TimeoutException($"Waited {WaitLimit} for {count} ticks of {key}; saw {_ticks.Count(key)}.");
            }

            await Task.Delay(10);
        }
    }
}
