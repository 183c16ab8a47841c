using System.Diagnostics;
using Actors.Persistence.Wal.Tests.Cluster;
using Actors.Persistence.Wal.Tests.Grains;
using Actors.Persistence.Wal.Tests.Support;
using Actors.TestingHost;
using Actors.Wal;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Actors.Persistence.Wal.Tests.Measurements;

/// <summary>Run with: <c>ACTORS_MEASURE=1 dotnet test tests/Actors.Persistence.Wal.Tests -c Release --filter Category=Measurement --logger "console;verbosity=detailed"</c>.</summary>
[Trait("Category", "Measurement")]
public sealed class PersistenceMeasurements(ITestOutputHelper output)
{
    [MeasurementFact]
    public async Task Activation_CheckpointPlusThousandEvents()
    {
        const int Grains = 20;
        await using TestCluster cluster = await WalCluster.StartAsync(o => o.CheckpointOnDeactivation = true);
        for (int g = 0; g < Grains; g++)
        {
            await cluster.Client.GetGrain<ILedgerGrain>($"m{g}").CreditMany(500, 1m);
        }

        // Graceful restart: each grain writes a checkpoint at version 500 on deactivation.
        await cluster.RestartSiloAsync(cluster.Primary);
        for (int g = 0; g < Grains; g++)
        {
            ILedgerGrain grain = cluster.Client.GetGrain<ILedgerGrain>($"m{g}");
            for (int i = 0; i < 10; i++)
            {
                await grain.CreditMany(100, 1m);
            }
        }

        // Kill: no deactivation checkpoint, so each grain has a checkpoint at 500 plus 1,000 later events.
        await cluster.KillSiloAsync(cluster.Primary);
        await cluster.RestartSiloAsync(cluster.Primary);
        var timings = new List<double>();
        for (int g = 0; g < Grains; g++)
        {
            long start = Stopwatch.GetTimestamp();
            LedgerSnapshot s = await cluster.Client.GetGrain<ILedgerGrain>($"m{g}").Get();
            timings.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            Assert.Equal((1500L, 1500m, 1000), (s.Version, s.Balance, s.ReplayedAtActivation));
        }

        timings.Sort();
        output.WriteLine($"activation with checkpoint + 1,000 events over {Grains} grains: min {timings[0]:F2} ms, median {timings[Grains / 2]:F2} ms, max {timings[^1]:F2} ms (the max includes the first-call JIT)");
    }

    [MeasurementFact]
    public async Task DurableJournaledCalls_PerSecond()
    {
        await using TestCluster cluster = await WalCluster.StartAsync(o => o.SyncPolicy = SyncPolicy.Always);
        foreach (int concurrency in new[] { 1, 64, 512 })
        {
            int callsPerCaller = concurrency == 1 ? 2000 : Math.Max(20, 40_000 / concurrency);
            for (int c = 0; c < concurrency; c++)
            {
                await cluster.Client.GetGrain<ILedgerGrain>($"d{concurrency}-{c}").Credit(1m);
            }

            IEventLog log = cluster.Primary.Services.GetRequiredKeyedService<WriteAheadLogStore>(WriteAheadLogStore.DefaultStoreName).Log!;
            LogStatistics before = log.GetStatistics();
            long start = Stopwatch.GetTimestamp();
            await Task.WhenAll(Enumerable.Range(0, concurrency).Select(c => Task.Run(async () =>
            {
                ILedgerGrain grain = cluster.Client.GetGrain<ILedgerGrain>($"d{concurrency}-{c}");
                for (int i = 0; i < callsPerCaller; i++)
                {
                    await grain.Credit(1m);
                }
            })));
            TimeSpan elapsed = Stopwatch.GetElapsedTime(start);
            LogStatistics after = log.GetStatistics();
            long calls = (long)concurrency * callsPerCaller;
            output.WriteLine(
                $"SyncPolicy.Always, {concurrency} concurrent grains: {calls} calls in {elapsed.TotalSeconds:F2} s = {calls / elapsed.TotalSeconds:F0} durable calls/s; " +
                $"{after.Fsyncs - before.Fsyncs} fsyncs ({(double)calls / Math.Max(1, after.Fsyncs - before.Fsyncs):F1} calls per fsync)");
            Assert.Equal(1 + callsPerCaller, (await cluster.Client.GetGrain<ILedgerGrain>($"d{concurrency}-0").Get()).Version);
        }
    }
}
