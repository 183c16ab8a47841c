using Actors.Client;
using Actors.Hosting.Tests.Gateway;
using Actors.TestingHost;
using Microsoft.Extensions.DependencyInjection;

namespace Actors.Hosting.Tests.Model;

/// <summary>Startup tasks in a silo host, and compound keys and POCO grains through the gateway client.</summary>
public sealed class StartupAndKeysTests
{
    private readonly StartupLog _log = new();

    [Fact]
    public async Task AddStartupTask_SeveralStages_RunOnceAfterStartInStageOrderAndMayCallGrains()
    {
        await using TestCluster cluster = new TestClusterBuilder().ConfigureSilo(silo => silo
            .AddGrain<StartupCounterGrain>()
            .AddStartupTask((_, _) =>
            {
                _log.Entries.Add("late");
                return Task.CompletedTask;
            }, ServiceLifecycleStage.Last)
            .AddStartupTask<WarmUpTask>()
            .AddStartupTask((_, _) =>
            {
                _log.Entries.Add("early");
                return Task.CompletedTask;
            }, ServiceLifecycleStage.ApplicationServices)
            .Services.AddSingleton(_log)).Build();

        await cluster.DeployAsync();

        Assert.Equal(["early", "warm-up:1", "late"], _log.Entries);
        Assert.Equal(2, await cluster.Client.GetGrain<IStartupCounterGrain>("warm").Increment());
    }

    [Fact]
    public async Task AddStartupTask_TaskThrows_SiloStartFailsWithTheTasksException()
    {
        await using TestCluster cluster = new TestClusterBuilder().ConfigureSilo(silo => silo
            .AddStartupTask((_, _) => throw new InvalidDataException("seed data missing"))).Build();

        InvalidDataException error = await Assert.ThrowsAsync<InvalidDataException>(() => cluster.DeployAsync());

        Assert.Equal("seed data missing", error.Message);
    }

    [Fact]
    public async Task CompoundKeysAndPocoGrain_ThroughTheGateway_SameIdentityAsInSilo()
    {
        await using RealSilo silo = await RealSilo.StartAsync(configure: s => s.AddGrain<RegionGrain>().AddGrain<ShardGrain>());
        await using IClusterClient client = new ClusterClientBuilder().UseGateway(silo.EndPoint).Build();
        Guid id = Guid.NewGuid();

        KeyReport eu = await client.GetGrain<IRegionGrain>(id, "eu").Report();
        KeyReport again = await client.GetGrain<IRegionGrain>(id, "eu").Report();
        KeyReport us = await client.GetGrain<IRegionGrain>(id, "us").Report();
        KeyReport shard = await client.GetGrain<IShardGrain>(12, "b").Report();

        Assert.Equal(($"region/{id:N}+eu", id, "eu", 1), (eu.GrainId, eu.Guid, eu.Extension, eu.Calls));
        Assert.Equal(2, again.Calls);
        Assert.Equal(("us", 1), (us.Extension, us.Calls));
        Assert.Equal(("shard/12+b", 12L, "b"), (shard.GrainId, shard.Integer, shard.Extension));
        Assert.Equal(shard.GrainId, silo.Services.GetRequiredService<IGrainFactory>().GetGrain<IShardGrain>(12, "b").GetGrainId().ToString());
    }
}
