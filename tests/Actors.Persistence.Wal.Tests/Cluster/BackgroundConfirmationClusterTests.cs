using Actors.Persistence.Wal.Tests.Grains;
using Actors.Persistence.Wal.Tests.Support;
using Actors.TestingHost;
using Microsoft.Extensions.DependencyInjection;

namespace Actors.Persistence.Wal.Tests.Cluster;

/// <summary>
/// Events raised without <c>ConfirmEvents</c>, through the real log, against what Orleans promises: they are confirmed
/// in the background soon after the turn (durable once confirmed: a kill then loses nothing), a graceful stop waits for
/// them, and a kill before they are written loses the batch whole or not at all, never part of it.
/// </summary>
[Trait("Category", "Integration")]
public sealed class BackgroundConfirmationClusterTests
{
    private readonly ConfirmationProbe _probe = new();

    [Fact]
    public async Task RaiseWithoutConfirm_ConfirmedInBackgroundThenSiloKilled_EventsSurvive()
    {
        await using TestCluster cluster = await StartAsync();
        ILedgerGrain ledger = cluster.Client.GetGrain<ILedgerGrain>("bg");
        await ledger.Credit(1m);

        await ledger.RaiseWithoutConfirm(3, 2m);
        await _probe.WaitForAsync(ledger.GetGrainId(), 4);
        await cluster.KillSiloAsync(cluster.Primary);
        await cluster.RestartSiloAsync(cluster.Primary);
        LedgerSnapshot after = await cluster.Client.GetGrain<ILedgerGrain>("bg").Get();

        Assert.Equal((7m, 4L), (after.Balance, after.Version));
    }

    [Fact]
    public async Task RaiseWithoutConfirm_SiloStoppedGracefullyRightAfter_DeactivationWaitsAndEventsSurvive()
    {
        await using TestCluster cluster = await StartAsync();
        ILedgerGrain ledger = cluster.Client.GetGrain<ILedgerGrain>("graceful");

        await ledger.RaiseWithoutConfirm(5, 1m);
        await cluster.RestartSiloAsync(cluster.Primary);
        LedgerSnapshot after = await cluster.Client.GetGrain<ILedgerGrain>("graceful").Get();

        Assert.Equal((5m, 5L), (after.Balance, after.Version));
    }

    [Fact]
    public async Task RaiseWithoutConfirm_SiloKilledImmediately_BatchIsWholeOrAbsentAndConfirmedEventsIntact()
    {
        await using TestCluster cluster = await StartAsync();
        var outcomes = new List<long>();
        for (int i = 0; i < 5; i++)
        {
            ILedgerGrain ledger = cluster.Client.GetGrain<ILedgerGrain>($"race{i}");
            await ledger.CreditMany(2, 10m);

            await ledger.RaiseWithoutConfirm(3, 1m);
            await cluster.KillSiloAsync(cluster.Primary);
            await cluster.RestartSiloAsync(cluster.Primary);
            LedgerSnapshot after = await cluster.Client.GetGrain<ILedgerGrain>($"race{i}").Get();

            // Orleans promises nothing for unconfirmed events; the log promises the batch is atomic.
            Assert.True((after.Version, after.Balance) is (2L, 20m) or (5L, 23m), $"grain race{i}: version {after.Version}, balance {after.Balance}");
            outcomes.Add(after.Version);
        }

        Assert.All(outcomes, v => Assert.Contains(v, new[] { 2L, 5L }));
    }

    private Task<TestCluster> StartAsync() => WalCluster.StartAsync(configureSilo: silo => silo.Services.AddSingleton(_probe));
}
