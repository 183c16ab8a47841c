using Actors.Client;
using Actors.Runtime;
using Actors.Streaming.Tests.Client;
using Actors.Streaming.Tests.Support;
using Actors.Streams;
using Actors.TestingHost;

namespace Actors.Streaming.Tests.Cluster;

/// <content>A gateway client's subscriptions in a cluster: its pulls reach each stream's owner through its one gateway.</content>
public sealed partial class ClusterStreamTests
{
    [Fact]
    public async Task ClientSubscriptions_PartitionsMoveToAJoiningSilo_ClientSeesEveryEventOnceInOrder()
    {
        var recorder = new DeliveryRecorder();
        await using TestCluster cluster = await StartAsync(2, recorder);
        await WaitForBalanceAsync(cluster);
        string[] streams = [.. Enumerable.Range(0, 6).Select(i => $"client-s{i}")];
        foreach (string key in streams)
        {
            await cluster.Client.GetStreamProvider(Provider).GetStream<int>(StreamId.Create(Namespace, key)).SubscribeAsync(new RecordingObserver(recorder, key));
        }

        async Task ProduceAsync(int from, int to)
        {
            await Task.WhenAll(streams.Select(async (key, i) =>
            {
                for (int value = from; value <= to; value++)
                {
                    SiloHandle[] running = [.. cluster.GetActiveSilos()];
                    await running[(value + i) % running.Length].Services.GetStreamProvider(Provider).GetStream<int>(StreamId.Create(Namespace, key)).OnNextAsync(value);
                }
            }));
        }

        await ProduceAsync(1, 10);
        Dictionary<string, string> ownersBefore = Owners(cluster, streams);
        await cluster.StartAdditionalSiloAsync();
        await WaitForBalanceAsync(cluster);
        Dictionary<string, string> ownersAfter = Owners(cluster, streams);
        await ProduceAsync(11, 20);

        Assert.Contains(streams, key => ownersBefore[key] != ownersAfter[key]);
        foreach (string key in streams)
        {
            IReadOnlyList<Delivery> seen = await recorder.WaitForSequenceAsync(key, 20);
            Assert.Equal(Enumerable.Range(1, 20).Select(n => (long)n), seen.Select(d => d.SequenceNumber));
            Assert.Equal(Enumerable.Range(1, 20).Select(n => $"item:{n}"), seen.Select(d => d.What));
        }
    }
}
