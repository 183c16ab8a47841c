using Actors.Client;
using Actors.Runtime;
using Actors.Serialization;
using Actors.Streaming.Tests.Grains;
using Actors.Streaming.Tests.Support;
using Actors.Streams;
using Actors.TestingHost;

namespace Actors.Streaming.Tests.Client;

/// <summary>Streams used from a gateway client (the test cluster's client connects through the real gateway).</summary>
[Trait("Category", "Integration")]
public sealed class GatewayClientStreamTests
{
    private readonly DeliveryRecorder _recorder = new();

    public static TheoryData<string> Providers => [StreamCluster.Memory, StreamCluster.Wal];

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task SubscribeAsync_FromClient_ObserverReceivesEveryItemInOrderWithTokens(string provider)
    {
        await using TestCluster cluster = await StreamCluster.StartAsync(_recorder);
        StreamId id = StreamId.Create("ns", "to-client");
        await cluster.Client.GetStreamProvider(provider).GetStream<int>(id).SubscribeAsync(new RecordingObserver(_recorder, "client"));
        IAsyncStream<int> stream = StreamCluster.Provider(cluster, provider).GetStream<int>(id);

        for (int i = 1; i <= 300; i++)
        {
            await stream.OnNextAsync(i);
        }

        await stream.OnCompletedAsync();
        IReadOnlyList<Delivery> seen = await _recorder.WaitForAsync("client", s => s.Any(d => d.What == "completed"), "300 items and the completion");

        Assert.Equal(Enumerable.Range(1, 300).Select(n => (long)n), seen.Take(300).Select(d => d.SequenceNumber));
        Assert.Equal(Enumerable.Range(1, 300).Select(n => $"item:{n}").Append("completed"), seen.Select(d => d.What));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task OnNextAsync_FromClient_GrainSubscriberReceivesItems(string provider)
    {
        await using TestCluster cluster = await StreamCluster.StartAsync(_recorder);
        await cluster.Client.GetGrain<IConsumerGrain>("g").Subscribe(provider, "ns", "from-client");
        IAsyncStream<int> stream = cluster.Client.GetStreamProvider(provider).GetStream<int>(StreamId.Create("ns", "from-client"));

        await stream.OnNextAsync(1);
        await stream.OnNextBatchAsync([2, 3, 4]);
        IReadOnlyList<Delivery> seen = await _recorder.WaitForSequenceAsync("g", 4);

        Assert.Equal(["item:1", "item:2", "item:3", "item:4"], seen.Select(d => d.What));
    }

    [Fact]
    public async Task ClientSubscription_SiloKilledAndRestarted_ClientReconnectsAndSeesEveryItemOnceInOrder()
    {
        await using TestCluster cluster = await StreamCluster.StartAsync(_recorder);
        StreamId id = StreamId.Create("ns", "reconnect");
        await cluster.Client.GetStreamProvider(StreamCluster.Wal).GetStream<int>(id).SubscribeAsync(new RecordingObserver(_recorder, "client"));
        IAsyncStream<int> before = StreamCluster.Provider(cluster, StreamCluster.Wal).GetStream<int>(id);
        for (int i = 1; i <= 40; i++)
        {
            await before.OnNextAsync(i);
        }

        // Killed while the client is taking the items (some handled and not yet acknowledged, or not yet recorded).
        await _recorder.WaitForAsync("client", s => s.Count >= 10, "at least 10 items before the kill");
        await cluster.KillSiloAsync(cluster.Primary);
        await cluster.RestartSiloAsync(cluster.Primary);

        IAsyncStream<int> after = StreamCluster.Provider(cluster, StreamCluster.Wal).GetStream<int>(id);
        for (int i = 41; i <= 80; i++)
        {
            await after.OnNextAsync(i);
        }

        IReadOnlyList<Delivery> seen = await _recorder.WaitForSequenceAsync("client", 80);

        // Acknowledged produces are durable, so every one reaches the client; what it handled before the kill and the
        // restarted silo offers again is skipped by the client (same tokens), so the observer sees each item once.
        Assert.Equal(Enumerable.Range(1, 80).Select(n => (long)n), seen.Select(d => d.SequenceNumber));
        Assert.Equal(Enumerable.Range(1, 80).Select(n => $"item:{n}"), seen.Select(d => d.What));
    }

    [Fact]
    public async Task ResumeAsync_AfterReconnectWithToken_RedeliversFromThatTokenThenContinues()
    {
        await using TestCluster cluster = await StreamCluster.StartAsync(_recorder);
        StreamId id = StreamId.Create("ns", "resume");
        IAsyncStream<int> clientStream = cluster.Client.GetStreamProvider(StreamCluster.Wal).GetStream<int>(id);
        StreamSubscriptionHandle<int> handle = await clientStream.SubscribeAsync(new RecordingObserver(_recorder, "first"));
        IAsyncStream<int> before = StreamCluster.Provider(cluster, StreamCluster.Wal).GetStream<int>(id);
        for (int i = 1; i <= 10; i++)
        {
            await before.OnNextAsync(i);
        }

        await _recorder.WaitForSequenceAsync("first", 10);
        await cluster.RestartSiloAsync(cluster.Primary);

        // The application stored token 6 as the last it processed for good; it resumes there on the same subscription.
        await Retry.OnConnectionLossAsync(() => handle.ResumeAsync(new RecordingObserver(_recorder, "second"), new EventSequenceToken(6)));
        IAsyncStream<int> after = StreamCluster.Provider(cluster, StreamCluster.Wal).GetStream<int>(id);
        for (int i = 11; i <= 15; i++)
        {
            await after.OnNextAsync(i);
        }

        IReadOnlyList<Delivery> seen = await _recorder.WaitForAsync("second", s => s.Any(d => d.SequenceNumber == 15), "items 6..15");

        Assert.Equal(Enumerable.Range(6, 10).Select(n => (long)n), seen.Select(d => d.SequenceNumber));
        Assert.Single(await clientStream.GetAllSubscriptionHandles());
    }

    [Fact]
    public async Task ResumeAsync_RestartedClientWithTheSameStreamClientId_FindsItsSubscriptionAndContinuesFromTheRecordedCursor()
    {
        await using TestCluster cluster = await StreamCluster.StartAsync(_recorder);
        StreamId id = StreamId.Create("ns", "restarted-client");
        string gateway = $"127.0.0.1:{cluster.Primary.GatewayPort}";
        IAsyncStream<int> producer = StreamCluster.Provider(cluster, StreamCluster.Wal).GetStream<int>(id);
        Guid subscription;
        await using (IClusterClient first = new ClusterClientBuilder().UseGateway(gateway).Build().UseStreamClientId("dashboard-1"))
        {
            subscription = (await first.GetStreamProvider(StreamCluster.Wal).GetStream<int>(id).SubscribeAsync(new RecordingObserver(_recorder, "first"))).HandleId;
            for (int i = 1; i <= 5; i++)
            {
                await producer.OnNextAsync(i);
            }

            await _recorder.WaitForSequenceAsync("first", 5);
        }

        // The process is gone; events go on while no client of that id runs.
        for (int i = 6; i <= 10; i++)
        {
            await producer.OnNextAsync(i);
        }

        await using IClusterClient restarted = new ClusterClientBuilder().UseGateway(gateway).Build().UseStreamClientId("dashboard-1");
        IAsyncStream<int> stream = restarted.GetStreamProvider(StreamCluster.Wal).GetStream<int>(id);
        StreamSubscriptionHandle<int> handle = Assert.Single(await stream.GetAllSubscriptionHandles());
        Assert.Equal(subscription, handle.HandleId);
        await handle.ResumeAsync(new RecordingObserver(_recorder, "restarted"));
        IReadOnlyList<Delivery> seen = await _recorder.WaitForAsync("restarted", s => s.Any(d => d.SequenceNumber == 10), "items up to 10");

        // At least once from the recorded cursor: items the first process handled but whose acknowledgement did not
        // arrive before it ended come again (same tokens), then everything after, in order.
        int from = (int)seen[0].SequenceNumber;
        Assert.InRange(from, 1, 6);
        Assert.Equal(Enumerable.Range(from, 11 - from).Select(n => $"item:{n}"), seen.Select(d => d.What));
        Assert.Equal(Enumerable.Range(from, 11 - from).Select(n => (long)n), seen.Select(d => d.SequenceNumber));

        await using IClusterClient other = new ClusterClientBuilder().UseGateway(gateway).Build().UseStreamClientId("dashboard-2");
        Assert.Empty(await other.GetStreamProvider(StreamCluster.Wal).GetStream<int>(id).GetAllSubscriptionHandles());
        Assert.Throws<InvalidOperationException>(() => restarted.UseStreamClientId("dashboard-2"));
    }

    [Fact]
    public async Task ClientObserver_ThrowsOnAnItem_RetriedMaxDeliveryAttemptsThenReportedAndPassed()
    {
        await using TestCluster cluster = await StreamCluster.StartAsync(_recorder, options: o => o.MaxDeliveryAttempts = 3);
        StreamId id = StreamId.Create("ns", "client-fails");
        await cluster.Client.GetStreamProvider(StreamCluster.Wal).GetStream<int>(id).SubscribeAsync(new RecordingObserver(_recorder, "client", failOn: 3));
        IAsyncStream<int> stream = StreamCluster.Provider(cluster, StreamCluster.Wal).GetStream<int>(id);

        for (int i = 1; i <= 5; i++)
        {
            await stream.OnNextAsync(i);
        }

        IReadOnlyList<Delivery> seen = await _recorder.WaitForAsync("client", s => s.Any(d => d.What == "item:5"), "items 1..5 around the failing 3");

        Assert.Equal(["item:1", "item:2", "attempt:3", "attempt:3", "attempt:3", "error:StreamDeliveryException", "item:4", "item:5"], seen.Select(d => d.What));
        Assert.Equal(3, seen.Single(d => d.What.StartsWith("error:", StringComparison.Ordinal)).SequenceNumber);
    }

    [Fact]
    public async Task SubscribeAsync_FromClientWithTokenPastTheEnd_ThrowsStreamRewindException()
    {
        await using TestCluster cluster = await StreamCluster.StartAsync(_recorder);
        IAsyncStream<int> stream = cluster.Client.GetStreamProvider(StreamCluster.Wal).GetStream<int>(StreamId.Create("ns", "past"));
        await stream.OnNextAsync(1);

        StreamRewindException error = await Assert.ThrowsAsync<StreamRewindException>(
            () => stream.SubscribeAsync(new RecordingObserver(_recorder, "client"), new EventSequenceToken(5)));

        Assert.Equal(StreamCluster.Wal, error.ProviderName);
        Assert.Equal(StreamId.Create("ns", "past"), error.StreamId);
        Assert.Equal(1, error.Latest);
        Assert.Empty(await stream.GetAllSubscriptionHandles());
    }

    [Fact]
    public async Task OnNextAsync_FromClientItemWithoutCodec_ThrowsStreamItemRejectedExceptionAndStoresNothing()
    {
        await using TestCluster cluster = await StreamCluster.StartAsync(_recorder);
        StreamId id = StreamId.Create("ns", "no-codec");
        IAsyncStream<NoCodec> stream = cluster.Client.GetStreamProvider(StreamCluster.Wal).GetStream<NoCodec>(id);

        StreamItemRejectedException error = await Assert.ThrowsAsync<StreamItemRejectedException>(() => stream.OnNextAsync(new NoCodec(7)));

        Assert.Equal(typeof(NoCodec), error.ItemType);
        Assert.Equal(id, error.StreamId);
        await cluster.Client.GetStreamProvider(StreamCluster.Wal).GetStream<int>(id).OnNextAsync(1);
        await cluster.Client.GetGrain<IConsumerGrain>("g").Subscribe(StreamCluster.Wal, "ns", "no-codec", fromSequenceNumber: 1);
        IReadOnlyList<Delivery> seen = await _recorder.WaitForSequenceAsync("g", 1);
        Assert.Equal(["item:1"], seen.Select(d => d.What));
    }

    [Fact]
    public async Task ClientSubscription_ClientGoneLongerThanTimeout_IsDroppedAndCounted()
    {
        await using TestCluster cluster = await StreamCluster.StartAsync(_recorder, options: o =>
        {
            o.ClientAckTimeout = TimeSpan.FromMilliseconds(200);
            o.ClientSubscriptionTimeout = TimeSpan.FromSeconds(1);
        });
        StreamId id = StreamId.Create("ns", "gone");
        Guid subscription;
        await using (IClusterClient client = new ClusterClientBuilder().UseGateway($"127.0.0.1:{cluster.Primary.GatewayPort}").Build())
        {
            subscription = (await client.GetStreamProvider(StreamCluster.Wal).GetStream<int>(id).SubscribeAsync(new RecordingObserver(_recorder, "gone"))).HandleId;
        }

        StreamProvider provider = StreamProvider.Of(cluster.Primary.Services, StreamCluster.Wal);
        await StreamCluster.Provider(cluster, StreamCluster.Wal).GetStream<int>(id).OnNextAsync(1);
        using var deadline = new CancellationTokenSource(DeliveryRecorder.WaitLimit);
        while (provider.Instruments.ClientSubscriptionsDropped == 0)
        {
            await Task.Delay(50, deadline.Token);
        }

        StreamSubscriptionNotFoundException error = await Assert.ThrowsAsync<StreamSubscriptionNotFoundException>(
            () => provider.PullClientCoreAsync(id, subscription, "anyone", null, TimeSpan.FromMilliseconds(1)));
        Assert.Contains("dropped", error.Message, StringComparison.Ordinal);
        Assert.Empty(_recorder.Of("gone"));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task ClientSubscription_ItemTheCallSerializerCannotEncode_ReportedToOnErrorAsyncThenNextItems(string provider)
    {
        await using TestCluster cluster = await StreamCluster.StartAsync(_recorder);
        StreamId id = StreamId.Create("ns", "no-call-codec");
        var observer = new ObjectRecordingObserver(_recorder, "client");
        await cluster.Client.GetStreamProvider(provider).GetStream<object>(id).SubscribeAsync(observer);
        IAsyncStream<object> stream = StreamCluster.Provider(cluster, provider).GetStream<object>(id);

        // A silo producer stores NoCodec through the grain serializer (JSON), which the gateway's call serializer cannot carry.
        await stream.OnNextAsync(1);
        await stream.OnNextAsync(new NoCodec(7));
        await stream.OnNextAsync(3);
        IReadOnlyList<Delivery> seen = await _recorder.WaitForAsync("client", s => s.Any(d => d.SequenceNumber == 3), "item 1, a report for 2, item 3");

        Assert.Equal(["item:1", "error:StreamDeliveryException", "item:3"], seen.Select(d => d.What));
        Assert.Equal([1L, 2L, 3L], seen.Select(d => d.SequenceNumber));
        StreamDeliveryException error = Assert.IsType<StreamDeliveryException>(Assert.Single(observer.Errors));
        Assert.Equal(id, error.StreamId);
        Assert.Equal(provider, error.ProviderName);
        Assert.Equal(2, error.Token.SequenceNumber);
        Assert.StartsWith(typeof(NoCodec).FullName + ",", error.ItemTypeName, StringComparison.Ordinal);
        Assert.Contains(typeof(NoCodec).FullName!, error.Message, StringComparison.Ordinal);
        StreamingInstruments instruments = StreamProvider.Of(cluster.Primary.Services, provider).Instruments;
        using var deadline = new CancellationTokenSource(DeliveryRecorder.WaitLimit);
        while (instruments.DeliveryFailures == 0)
        {
            await Task.Delay(20, deadline.Token); // counted when the client's acknowledgement of the batch arrives
        }

        Assert.Equal(1, instruments.DeliveryFailures);
    }

    [Fact]
    public async Task ClientSubscription_ItemTheClientCannotDecode_ReportedToOnErrorAsyncThenNextItems()
    {
        // The silo's call serializer carries JsonOnlyItem as JSON (an opt-in the client lacks), so the owner's check
        // passes and the client cannot read the batch: without telling the owner it would pull the same batch forever.
        await using TestCluster cluster = await StreamCluster.StartAsync(_recorder, options: o => o.MaxDeliveryAttempts = 2, configure: silo =>
            silo.Services.AddSerializer(b => b.AddJsonSerializer(t => t == typeof(JsonOnlyItem))));
        StreamId id = StreamId.Create("ns", "client-cannot-decode");
        var observer = new ObjectRecordingObserver(_recorder, "client");
        await cluster.Client.GetStreamProvider(StreamCluster.Wal).GetStream<object>(id).SubscribeAsync(observer);
        IAsyncStream<object> stream = StreamCluster.Provider(cluster, StreamCluster.Wal).GetStream<object>(id);

        await stream.OnNextBatchAsync([1, new JsonOnlyItem(2), 3]);
        await stream.OnNextAsync(4);
        IReadOnlyList<Delivery> seen = await _recorder.WaitForAsync("client", s => s.Any(d => d.SequenceNumber == 4), "items 1, 3, 4 and a report of 2");

        Assert.Equal(["item:1", "error:StreamDeliveryException", "item:3", "item:4"], seen.Select(d => d.What));
        Assert.Equal([1L, 2L, 3L, 4L], seen.Select(d => d.SequenceNumber));
        StreamDeliveryException error = Assert.IsType<StreamDeliveryException>(Assert.Single(observer.Errors));
        Assert.Equal(id, error.StreamId);
        Assert.StartsWith(typeof(JsonOnlyItem).FullName + ",", error.ItemTypeName, StringComparison.Ordinal);
        Assert.Contains("cannot read", error.Message, StringComparison.Ordinal);
    }

    /// <summary>An item type the binary call serializer has no codec for.</summary>
    public sealed class NoCodec(int value)
    {
        public int Value { get; } = value;
    }
}
