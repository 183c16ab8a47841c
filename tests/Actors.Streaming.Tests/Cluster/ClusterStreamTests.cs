using Actors.Cluster;
using Actors.Cluster.Membership;
using Actors.Cluster.Partitioning;
using Actors.Hosting;
using Actors.Persistence.Wal.Hosting;
using Actors.Runtime;
using Actors.Streaming.Tests.Grains;
using Actors.Streaming.Tests.Support;
using Actors.Streams;
using Actors.Streams.Cluster;
using Actors.Streams.Storage;
using Actors.TestingHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Actors.Streaming.Tests.Cluster;

/// <summary>
/// The write-ahead-log stream provider in a cluster of in-process silos (TestCluster over the in-memory cluster store and
/// loopback messaging): each stream's queue and subscriptions live in its agent's partition and delivery follows the
/// partition's owner as silos join and leave.
/// </summary>
/// <remarks>
/// The contract checked is Orleans's at-least-once: every acknowledged event reaches every subscriber; a subscriber
/// never receives an event before it received every earlier one of the stream (no holes, ever); an event is received
/// again only after an ownership move (re-delivery from the last recorded cursor), and then with its token.
/// </remarks>
public sealed partial class ClusterStreamTests
{
    private const string Provider = "wal";
    private const string Namespace = "orders";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task DurableStreams_SilosJoinAndLeaveWhileProducing_EveryEventReachesEverySubscriberWithoutHoles()
    {
        var recorder = new DeliveryRecorder();
        await using TestCluster cluster = await StartAsync(2, recorder);
        await WaitForBalanceAsync(cluster);
        string[] streams = [.. Enumerable.Range(0, 8).Select(i => $"s{i}")];
        foreach (string key in streams)
        {
            await cluster.Client.GetGrain<IConsumerGrain>(ExplicitSubscriber(key)).Subscribe(Provider, Namespace, key);
        }

        var acknowledged = new Dictionary<string, List<int>>();
        int next = 0;
        async Task ProduceRoundAsync(int perStream)
        {
            for (int round = 0; round < perStream; round++)
            {
                await Task.WhenAll(streams.Select(async (key, i) =>
                {
                    int value = Interlocked.Increment(ref next);
                    SiloHandle[] running = [.. cluster.GetActiveSilos()];
                    SiloHandle producer = running[(value + i) % running.Length];
                    await producer.Services.GetStreamProvider(Provider).GetStream<int>(StreamId.Create(Namespace, key)).OnNextAsync(value);
                    lock (acknowledged)
                    {
                        (acknowledged.TryGetValue(key, out List<int>? values) ? values : acknowledged[key] = []).Add(value);
                    }
                }));
            }
        }

        Dictionary<string, string> ownersBefore = Owners(cluster, streams);
        await ProduceRoundAsync(10);
        SiloHandle joined = await cluster.StartAdditionalSiloAsync();
        await ProduceRoundAsync(10);
        await WaitForBalanceAsync(cluster);
        Dictionary<string, string> ownersAfterJoin = Owners(cluster, streams);
        await ProduceRoundAsync(10);
        SiloHandle leaving = cluster.Silos[1];
        await cluster.StopSiloAsync(leaving);
        await ProduceRoundAsync(10);
        await WaitForBalanceAsync(cluster);
        Dictionary<string, string> ownersAfterLeave = Owners(cluster, streams);
        await ProduceRoundAsync(10);

        // The scenario really moved streams: some to the silo that joined, and every stream off the silo that left.
        Assert.Contains(streams, s => ownersAfterJoin[s] == joined.Name && ownersBefore[s] != joined.Name);
        Assert.Contains(streams, s => ownersAfterJoin[s] == leaving.Name);
        Assert.DoesNotContain(streams, s => ownersAfterLeave[s] == leaving.Name);

        foreach (string key in streams)
        {
            int[] values = [.. acknowledged[key]];
            Assert.Equal(50, values.Length);
            foreach (string subscriber in new[] { ExplicitSubscriber(key), "implicit:" + key })
            {
                IReadOnlyList<Delivery> seen = await recorder.WaitForSequenceAsync(subscriber, values.Length);
                AssertAtLeastOnceWithoutHoles(subscriber, seen, values);
            }
        }
    }

    [Fact]
    public async Task DurableStreams_PartitionsMoveWhileSubscribersAreBehind_NewOwnersResumeDeliveryWithoutNewEvents()
    {
        var recorder = new DeliveryRecorder();
        var gate = new Gate();
        await using TestCluster cluster = await StartAsync(2, recorder, gate);
        await WaitForBalanceAsync(cluster);
        string[] streams = [.. Enumerable.Range(0, 16).Select(i => $"behind{i}")];
        foreach (string key in streams)
        {
            await cluster.Client.GetGrain<ISlowConsumerGrain>(SlowSubscriber(key)).Subscribe(Provider, Namespace, key);
        }

        Dictionary<string, string> ownersBefore = Owners(cluster, streams);
        for (int i = 1; i <= 20; i++)
        {
            await Task.WhenAll(streams.Select(key => cluster.Primary.Services.GetStreamProvider(Provider).GetStream<int>(StreamId.Create(Namespace, key)).OnNextAsync(i)));
        }

        // Every slow subscriber holds its first delivery; then ownership moves and no event is produced any more:
        // only the new owners' delivery loops, started from the recorded cursors, can bring the rest.
        await gate.WaitForWaitersAsync(streams.Length);
        SiloHandle joined = await cluster.StartAdditionalSiloAsync();
        await WaitForBalanceAsync(cluster);
        Dictionary<string, string> ownersAfter = Owners(cluster, streams);
        Assert.Contains(streams, s => ownersAfter[s] == joined.Name && ownersBefore[s] != joined.Name);
        gate.Open();

        foreach (string key in streams)
        {
            IReadOnlyList<Delivery> seen = await recorder.WaitForSequenceAsync(SlowSubscriber(key), 20);
            AssertAtLeastOnceWithoutHoles(SlowSubscriber(key), seen, [.. Enumerable.Range(1, 20)]);
        }
    }

    [Fact]
    public async Task DurableStreams_SubscribeAndRewindFromAnotherSilo_GoThroughTheOwner()
    {
        var recorder = new DeliveryRecorder();
        await using TestCluster cluster = await StartAsync(3, recorder);
        await WaitForBalanceAsync(cluster);
        const string key = "rewind";
        string owner = Owners(cluster, [key])[key];
        SiloHandle other = cluster.Silos.First(s => s.Name != owner);
        IAsyncStream<int> stream = other.Services.GetStreamProvider(Provider).GetStream<int>(StreamId.Create(Namespace, key));
        for (int i = 1; i <= 5; i++)
        {
            await stream.OnNextAsync(i * 10);
        }

        IConsumerGrain late = cluster.Client.GetGrain<IConsumerGrain>("late@" + Provider + "@" + Namespace + "@" + key);
        await late.Subscribe(Provider, Namespace, key, fromSequenceNumber: 3);
        IReadOnlyList<Delivery> seen = await recorder.WaitForAsync("late@" + Provider + "@" + Namespace + "@" + key, d => d.Count >= 3, "items 3..5");
        Assert.Equal(["item:30", "item:40", "item:50"], seen.Select(d => d.What));
        Assert.Equal(1, await late.SubscriptionCount(Provider, Namespace, key));

        StreamRewindException error = await Assert.ThrowsAsync<StreamRewindException>(() => late.Subscribe(Provider, Namespace, key, fromSequenceNumber: 9));
        Assert.Equal(5, error.Latest);
    }

    [Fact]
    public async Task MemoryStreams_InACluster_RefusedAtSiloStartNamingTheProvider()
    {
        var builder = new TestClusterBuilder(2);
        builder.Options.UseClustering = true;
        builder.ConfigureSilo(silo => silo.AddMemoryStreams("scratch"));

        var error = await Assert.ThrowsAnyAsync<Exception>(() => StreamCluster.DeployAsync(builder));

        Exception refusal = error is InvalidOperationException ? error : error.InnerException ?? error;
        Assert.IsType<InvalidOperationException>(refusal);
        Assert.Contains("Stream provider 'scratch'", refusal.Message, StringComparison.Ordinal);
        Assert.Contains("AddWriteAheadLogStreams", refusal.Message, StringComparison.Ordinal);
    }

    private static string ExplicitSubscriber(string key) => $"c-{key}@{Provider}@{Namespace}@{key}";

    private static string SlowSubscriber(string key) => $"slow-{key}@{Provider}@{Namespace}@{key}";

    /// <summary>Every acknowledged value arrived; no delivery came before all earlier sequence numbers had; a sequence number always carries the same value.</summary>
    private static void AssertAtLeastOnceWithoutHoles(string subscriber, IReadOnlyList<Delivery> seen, int[] acknowledged)
    {
        var valueOf = new Dictionary<long, string>();
        long highest = 0;
        foreach (Delivery delivery in seen)
        {
            Assert.True(delivery.SequenceNumber <= highest + 1, $"{subscriber} received {delivery.SequenceNumber} before {highest + 1} (a hole)");
            Assert.True(!valueOf.TryGetValue(delivery.SequenceNumber, out string? earlier) || earlier == delivery.What,
                $"{subscriber} received {delivery.SequenceNumber} as {delivery.What} and before as {earlier}");
            valueOf[delivery.SequenceNumber] = delivery.What;
            highest = Math.Max(highest, delivery.SequenceNumber);
        }

        Assert.Equal(acknowledged.Select(v => $"item:{v}").Order(), valueOf.Values.Order());
    }

    private static Dictionary<string, string> Owners(TestCluster cluster, IEnumerable<string> keys)
    {
        ClusterSnapshot snapshot = cluster.Primary.Services.GetRequiredService<IClusterView>().Snapshot!;
        return keys.ToDictionary(k => k, k => snapshot.Partitions[PartitionMap.GetPartition(
            new GrainId(StreamAgentGrain.TypeName, StreamLogIds.Key(Provider, StreamId.Create(Namespace, k))), snapshot.PartitionCount)].Owner!);
    }

    private static async Task<TestCluster> StartAsync(short silos, DeliveryRecorder recorder, Gate? gate = null)
    {
        var builder = new TestClusterBuilder(silos);
        builder.Options.UseClustering = true;
        if (Environment.GetEnvironmentVariable("ACTORS_TEST_LOGS") == "1")
        {
            builder.ConfigureHost(h => h.ConfigureLogging(l => l.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "HH:mm:ss.fff ";
            }).SetMinimumLevel(Microsoft.Extensions.Logging.LogLevel.Debug)));
        }

        builder.ConfigureSilo(silo =>
        {
            silo.AddGrain<ConsumerGrain>().AddGrain<SlowConsumerGrain>().AddGrain<ImplicitConsumerGrain>();
            silo.AddWriteAheadLogAsDefault(o =>
            {
                o.Directory = Path.Combine(silo.GetTestSiloContext().DataDirectory, "wal");
                o.SegmentSizeBytes = 1024 * 1024;
                o.MaxRecordSizeBytes = 256 * 1024;
                o.MaxEventSizeBytes = 16 * 1024;
                o.PreallocateSegments = false;
            });
            silo.AddWriteAheadLogStreams(Provider, o =>
            {
                o.DeliveryRetryDelay = TimeSpan.FromMilliseconds(20);
                o.MaxDeliveryRetryDelay = TimeSpan.FromMilliseconds(200);
            });
            silo.Services.AddSingleton(recorder);
            silo.Services.AddSingleton(gate ?? new Gate());
        });
        return await StreamCluster.DeployAsync(builder);
    }

    private static Task WaitForBalanceAsync(TestCluster cluster) => cluster.WaitForPartitionsBalancedAsync(Patience);
}
