using Actors.Streaming.Tests.Grains;
using Actors.Streaming.Tests.Support;
using Actors.Runtime;
using Actors.Streams;
using Actors.TestingHost;

namespace Actors.Streaming.Tests.Cluster;

/// <content>A partition owner killed (no graceful hand-off) and restarted: delivery resumes from the recorded cursors.</content>
public sealed partial class ClusterStreamTests
{
    [Fact]
    public async Task DurableStreams_OwnerKilledAndRestarted_EveryAcknowledgedEventStillReachesEverySubscriber()
    {
        var recorder = new DeliveryRecorder();
        await using TestCluster cluster = await StartAsync(3, recorder);
        await WaitForBalanceAsync(cluster);
        string[] streams = [.. Enumerable.Range(0, 12).Select(i => $"kill{i}")];
        foreach (string key in streams)
        {
            await cluster.Client.GetGrain<IConsumerGrain>(ExplicitSubscriber(key)).Subscribe(Provider, Namespace, key);
        }

        SiloHandle victim = cluster.Silos[2];
        Dictionary<string, string> owners = Owners(cluster, streams);
        Assert.Contains(streams, s => owners[s] == victim.Name);
        IStreamProvider producer = cluster.Primary.Services.GetStreamProvider(Provider);
        for (int i = 1; i <= 10; i++)
        {
            await Task.WhenAll(streams.Select(key => producer.GetStream<int>(StreamId.Create(Namespace, key)).OnNextAsync(i)));
        }

        // Killed with deliveries of these events possibly in flight and their cursors unrecorded: what the victim's
        // partition logs made durable is all that survives, and its restart serves them again.
        await cluster.KillSiloAsync(victim);
        await cluster.RestartSiloAsync(victim);
        await WaitForBalanceAsync(cluster);
        for (int i = 11; i <= 20; i++)
        {
            await Task.WhenAll(streams.Select(key => ProduceWhenServedAsync(producer.GetStream<int>(StreamId.Create(Namespace, key)), i)));
        }

        foreach (string key in streams)
        {
            IReadOnlyList<Delivery> seen = await recorder.WaitForSequenceAsync(ExplicitSubscriber(key), 20);
            AssertAtLeastOnceWithoutHoles(ExplicitSubscriber(key), seen, [.. Enumerable.Range(1, 20)]);
        }
    }

    /// <summary>Produces once the stream's partition is served again (refused before anything is stored until then).</summary>
    private static async Task ProduceWhenServedAsync(IAsyncStream<int> stream, int value)
    {
        DateTime deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            try
            {
                await stream.OnNextAsync(value);
                return;
            }
            catch (PartitionUnavailableException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }
        }
    }
}
