using Actors.Runtime;
using Actors.Streaming.Tests.Grains;
using Actors.Streaming.Tests.Support;
using Actors.Streams;
using Actors.TestingHost;

namespace Actors.Streaming.Tests;

/// <summary>The Orleans streaming semantics, run against both providers (memory and write-ahead log).</summary>
[Trait("Category", "Integration")]
public sealed class StreamDeliveryTests
{
    private readonly DeliveryRecorder _recorder = new();

    public static TheoryData<string> Providers => [StreamCluster.Memory, StreamCluster.Wal];

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task OnNextAsync_ExplicitSubscriber_ReceivesItemsInOrderWithTokens(string provider)
    {
        await using TestCluster cluster = await StreamCluster.StartAsync(_recorder);
        await cluster.Client.GetGrain<IConsumerGrain>("a").Subscribe(provider, "ns", "s1");
        IAsyncStream<int> stream = StreamCluster.Provider(cluster, provider).GetStream<int>(StreamId.Create("ns", "s1"));

        for (int i = 0; i < 50; i++)
        {
            await stream.OnNextAsync(i * 10);
        }

        await stream.OnNextBatchAsync([500, 510, 520]);
        IReadOnlyList<Delivery> seen = await _recorder.WaitForSequenceAsync("a", 53);

        Assert.Equal(Enumerable.Range(1, 53).Select(n => (long)n), seen.Select(d => d.SequenceNumber));
        Assert.Equal(Enumerable.Range(0, 50).Select(i => $"item:{i * 10}").Concat(["item:500", "item:510", "item:520"]), seen.Select(d => d.What));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task SubscribeAsync_WithEarlierToken_ReplaysFromThatToken(string provider)
    {
        await using TestCluster cluster = await StreamCluster.StartAsync(_recorder);
        IAsyncStream<int> stream = StreamCluster.Provider(cluster, provider).GetStream<int>(StreamId.Create("ns", "rewind"));
        for (int i = 1; i <= 10; i++)
        {
            await stream.OnNextAsync(i);
        }

        await cluster.Client.GetGrain<IConsumerGrain>("late").Subscribe(provider, "ns", "rewind", fromSequenceNumber: 4);
        await stream.OnNextAsync(11);
        IReadOnlyList<Delivery> seen = await _recorder.WaitForAsync("late", s => s.Any(d => d.SequenceNumber == 11), "item 11");

        Assert.Equal(Enumerable.Range(4, 8).Select(n => (long)n), seen.Select(d => d.SequenceNumber));
        Assert.Equal(Enumerable.Range(4, 8).Select(n => $"item:{n}"), seen.Select(d => d.What));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task SubscribeAsync_WithoutToken_ReceivesOnlyLaterItems(string provider)
    {
        await using TestCluster cluster = await StreamCluster.StartAsync(_recorder);
        IAsyncStream<int> stream = StreamCluster.Provider(cluster, provider).GetStream<int>(StreamId.Create("ns", "now"));
        await stream.OnNextAsync(1);

        await cluster.Client.GetGrain<IConsumerGrain>("now").Subscribe(provider, "ns", "now");
        await stream.OnNextAsync(2);
        IReadOnlyList<Delivery> seen = await _recorder.WaitForAsync("now", s => s.Count >= 1, "one item");

        Assert.Equal([new Delivery("now", "", 2, "item:2")], seen);
    }

    [Fact]
    public async Task SubscribeAsync_TokenPastTheEnd_ClientGetsRewindExceptionWithTheStreamAndRetainedRange()
    {
        await using TestCluster cluster = await StreamCluster.StartAsync(_recorder);
        await StreamCluster.Provider(cluster, StreamCluster.Wal).GetStream<int>(StreamId.Create("ns", "short")).OnNextAsync(1);

        StreamRewindException error = await Assert.ThrowsAsync<StreamRewindException>(
            () => cluster.Client.GetGrain<IConsumerGrain>("x").Subscribe(StreamCluster.Wal, "ns", "short", fromSequenceNumber: 9));

        Assert.Contains("ns/short", error.Message, StringComparison.Ordinal);
        Assert.Contains("retains sequence numbers 1 to 1", error.Message, StringComparison.Ordinal);

        // The exception is [GenerateSerializer]: its typed properties cross the gateway, not only its message.
        Assert.Equal((StreamCluster.Wal, StreamId.Create("ns", "short")), (error.ProviderName, error.StreamId));
        Assert.Equal((9L, 1L, 1L), (error.Token.SequenceNumber, error.OldestRetained, error.Latest));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task ImplicitSubscription_EventInNamespace_ActivatesGrainWithTheStreamKey(string provider)
    {
        await using TestCluster cluster = await StreamCluster.StartAsync(_recorder);
        IAsyncStream<int> stream = StreamCluster.Provider(cluster, provider).GetStream<int>(StreamId.Create("orders", "o-17"));

        await stream.OnNextAsync(7);
        await stream.OnNextAsync(8);
        IReadOnlyList<Delivery> seen = await _recorder.WaitForSequenceAsync("implicit:o-17", 2);

        Assert.Equal(["item:7", "item:8"], seen.Select(d => d.What));
        Assert.Empty(_recorder.Of("implicit:o-18"));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Subscriber_DeactivatedBetweenEvents_IsReactivatedResumesAndContinuesFromItsCursor(string provider)
    {
        await using TestCluster cluster = await StreamCluster.StartAsync(_recorder);
        string key = $"r@{provider}@ns@resume";
        IConsumerGrain consumer = cluster.Client.GetGrain<IConsumerGrain>(key);
        await consumer.Subscribe(provider, "ns", "resume");
        IAsyncStream<int> stream = StreamCluster.Provider(cluster, provider).GetStream<int>(StreamId.Create("ns", "resume"));
        await stream.OnNextAsync(1);
        await _recorder.WaitForSequenceAsync(key, 1);

        await consumer.Deactivate();
        await stream.OnNextAsync(2);
        await stream.OnNextAsync(3);
        IReadOnlyList<Delivery> seen = await _recorder.WaitForSequenceAsync(key, 3);

        Assert.Equal(["item:1", "item:2", "item:3"], seen.Select(d => d.What));
        Assert.Equal(1, await consumer.SubscriptionCount(provider, "ns", "resume"));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task UnsubscribeAsync_LaterEvents_AreNotDelivered(string provider)
    {
        await using TestCluster cluster = await StreamCluster.StartAsync(_recorder);
        IConsumerGrain leaving = cluster.Client.GetGrain<IConsumerGrain>("leaving");
        IConsumerGrain staying = cluster.Client.GetGrain<IConsumerGrain>("staying");
        await leaving.Subscribe(provider, "ns", "u");
        await staying.Subscribe(provider, "ns", "u");
        IAsyncStream<int> stream = StreamCluster.Provider(cluster, provider).GetStream<int>(StreamId.Create("ns", "u"));
        await stream.OnNextAsync(1);
        await _recorder.WaitForSequenceAsync("leaving", 1);

        await leaving.UnsubscribeAll(provider, "ns", "u");
        await stream.OnNextAsync(2);
        await _recorder.WaitForSequenceAsync("staying", 2);

        Assert.Equal(["item:1"], _recorder.Of("leaving").Select(d => d.What));
        Assert.Equal(0, await leaving.SubscriptionCount(provider, "ns", "u"));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task OnCompletedAsync_Producer_ReachesSubscribersAfterTheItems(string provider)
    {
        await using TestCluster cluster = await StreamCluster.StartAsync(_recorder);
        await cluster.Client.GetGrain<IConsumerGrain>("c").Subscribe(provider, "ns", "done");
        IAsyncStream<int> stream = StreamCluster.Provider(cluster, provider).GetStream<int>(StreamId.Create("ns", "done"));

        await stream.OnNextAsync(1);
        await stream.OnErrorAsync(new TimeoutException("upstream slow"));
        await stream.OnCompletedAsync();
        IReadOnlyList<Delivery> seen = await _recorder.WaitForAsync("c", s => s.Any(d => d.What == "completed"), "completion");

        Assert.Equal("item:1", seen[0].What);
        Assert.StartsWith("error:StreamProducerErrorException:", seen[1].What, StringComparison.Ordinal);
        Assert.Contains("System.TimeoutException: upstream slow", seen[1].What, StringComparison.Ordinal);
        Assert.Equal("completed", seen[2].What);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task ObserverThrows_RetriedThenReportedToOnErrorAsyncAndPassed(string provider)
    {
        await using TestCluster cluster = await StreamCluster.StartAsync(_recorder, options: o => o.MaxDeliveryAttempts = 3);
        await cluster.Client.GetGrain<IFailingConsumerGrain>("f").Subscribe(provider, "ns", "poison");
        IAsyncStream<int> stream = StreamCluster.Provider(cluster, provider).GetStream<int>(StreamId.Create("ns", "poison"));

        await stream.OnNextBatchAsync([1, -1, 3]);
        IReadOnlyList<Delivery> seen = await _recorder.WaitForAsync("f", s => s.Any(d => d.What == "item:3"), "item 3");

        Assert.Equal(["item:1", "threw", "threw", "threw"], seen.Take(4).Select(d => d.What));
        Assert.StartsWith("error:StreamDeliveryException:", seen[4].What, StringComparison.Ordinal);
        Assert.Equal(2, seen[4].SequenceNumber);
        Assert.Contains("poison item", seen[4].What, StringComparison.Ordinal);
        Assert.Equal("item:3", seen[5].What);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task SubscriberOfAnotherType_ItemsAreReportedToOnErrorAsyncNotDropped(string provider)
    {
        await using TestCluster cluster = await StreamCluster.StartAsync(_recorder);
        await cluster.Client.GetGrain<IStringConsumerGrain>("s").Subscribe(provider, "ns", "typed");

        await StreamCluster.Provider(cluster, provider).GetStream<int>(StreamId.Create("ns", "typed")).OnNextAsync(5);
        IReadOnlyList<Delivery> seen = await _recorder.WaitForAsync("s", s => s.Count >= 1, "a report");

        Assert.Equal([new Delivery("s", "", 1, "error:StreamDeliveryException")], seen);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task OnNextAsync_UnserializableItem_ThrowsRejectedNamingStreamAndTypeAndStoresNothing(string provider)
    {
        await using TestCluster cluster = await StreamCluster.StartAsync(_recorder);
        await cluster.Client.GetGrain<IConsumerGrain>("n").Subscribe(provider, "ns", "bad");
        IAsyncStream<Unserializable> bad = StreamCluster.Provider(cluster, provider).GetStream<Unserializable>(StreamId.Create("ns", "bad"));

        StreamItemRejectedException error = await Assert.ThrowsAsync<StreamItemRejectedException>(() => bad.OnNextAsync(new Unserializable()));

        Assert.Contains("ns/bad", error.Message, StringComparison.Ordinal);
        Assert.Contains(typeof(Unserializable).FullName!, error.Message, StringComparison.Ordinal);
        await StreamCluster.Provider(cluster, provider).GetStream<int>(StreamId.Create("ns", "bad")).OnNextAsync(1);
        IReadOnlyList<Delivery> seen = await _recorder.WaitForSequenceAsync("n", 1);
        Assert.Equal([new Delivery("n", "", 1, "item:1")], seen);
    }

    [Fact]
    public async Task SubscribeAsync_OutsideAGrain_ThrowsSayingWhy()
    {
        await using TestCluster cluster = await StreamCluster.StartAsync(_recorder);
        IAsyncStream<int> stream = StreamCluster.Provider(cluster, StreamCluster.Memory).GetStream<int>(StreamId.Create("ns", "outside"));

        InvalidOperationException error = await Assert.ThrowsAsync<InvalidOperationException>(() => stream.SubscribeAsync(new NullObserver()));

        Assert.Contains("must be called from a grain", error.Message, StringComparison.Ordinal);
    }

    public sealed class Unserializable
    {
        public int Value => throw new NotSupportedException("no value");
    }

    private sealed class NullObserver : IAsyncObserver<int>
    {
        public Task OnNextAsync(int item, StreamSequenceToken? token = null) => Task.CompletedTask;

        public Task OnCompletedAsync() => Task.CompletedTask;

        public Task OnErrorAsync(Exception ex) => Task.CompletedTask;
    }
}
