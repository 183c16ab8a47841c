using Actors.Hosting;
using Actors.Persistence.Wal.Tests.Grains;
using Actors.TestingHost;

namespace Actors.Persistence.Wal.Tests.Cluster;

/// <summary>
/// A journaled grain written for Orleans (events and state marked only [GenerateSerializer]/[Id]/[Alias]) runs on the
/// default store without changes: its events and checkpoints go through the binary serializer, tagged per record.
/// </summary>
public sealed class OrleansShapedJournalClusterTests
{
    [Fact]
    public async Task JournaledGrain_GenerateSerializerEventsOnly_PersistAndReplayAcrossRestart()
    {
        await using TestCluster cluster = await WalCluster.StartAsync(configureSilo: silo => silo.AddGrain<TodoListGrain>());
        ITodoListGrain todo = cluster.Client.GetGrain<ITodoListGrain>("orleans");
        await todo.Add("tea");
        await todo.Add("milk");
        await todo.Complete(1);

        await cluster.KillSiloAsync(cluster.Primary);
        await cluster.RestartSiloAsync(cluster.Primary);
        TodoSnapshot after = await cluster.Client.GetGrain<ITodoListGrain>("orleans").Get();

        Assert.Equal(["tea", "milk"], after.Titles);
        Assert.Equal([1], after.Done);
        Assert.Equal(3, after.Version);
        Assert.IsType<DefaultWalCodec>(WalCluster.Store(cluster).Codec);
    }

    [Fact]
    public async Task JournaledGrain_GenerateSerializerStateWithPrivateField_CheckpointKeepsItAcrossRestart()
    {
        await using TestCluster cluster = await WalCluster.StartAsync(
            configure: o => o.CheckpointEveryEvents = 2,
            configureSilo: silo => silo.AddGrain<TodoListGrain>());
        ITodoListGrain todo = cluster.Client.GetGrain<ITodoListGrain>("checkpointed");
        for (int i = 0; i < 5; i++)
        {
            await todo.Add("item-" + i);
        }

        await cluster.RestartSiloAsync(cluster.Primary);
        TodoSnapshot after = await cluster.Client.GetGrain<ITodoListGrain>("checkpointed").Get();

        Assert.Equal(["item-0", "item-1", "item-2", "item-3", "item-4"], after.Titles);
        Assert.Equal(5, after.Version);
    }
}
