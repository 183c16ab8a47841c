using Actors.Persistence.Wal;
using Actors.Runtime;
using Actors.Streaming.Tests.Grains;
using Actors.Streaming.Tests.Support;
using Actors.Streams;
using Actors.Streams.Storage;
using Actors.TestingHost;
using Actors.Wal;
using StreamId = Actors.Runtime.StreamId;

namespace Actors.Streaming.Tests;

/// <summary>
/// Events a subscription can no longer read (erased from the log behind its cursor, or stored in a record this silo
/// cannot decode) reach its observer's OnErrorAsync with their tokens before the subscription moves past them: never a
/// silent skip, never a subscription stuck on them with only a log line.
/// </summary>
[Trait("Category", "Integration")]
public sealed class UnreadableEventsTests
{
    private readonly DeliveryRecorder _recorder = new();

    [Fact]
    public async Task Subscriber_EventsErasedBehindItsCursor_ToldTheLostRangeThenContinues()
    {
        var gate = new Gate();
        await using TestCluster cluster = await StreamCluster.StartAsync(_recorder, gate, o => o.MaxBatchSize = 2);
        StreamId id = StreamId.Create("ns", "erased");
        await StreamCluster.Provider(cluster, StreamCluster.Wal).GetStream<int>(id).OnNextBatchAsync(Enumerable.Range(1, 10));
        await cluster.Client.GetGrain<ISlowConsumerGrain>("slow").Subscribe(StreamCluster.Wal, "ns", "erased", fromSequenceNumber: 1);

        // The subscriber holds its first batch (1, 2) while the events up to 6 are erased (retention went past it): the
        // log names the oldest event left as 5 when asked for 3..4; the provider finds 7 and reports the whole gap once.
        await gate.WaitForWaitersAsync(1);
        IEventLog log = await StreamCluster.Store(cluster).GetLogAsync();
        await log.DeleteEventsToAsync(StreamLogIds.Queue(StreamCluster.Wal, id), 6);
        gate.Open();
        IReadOnlyList<Delivery> seen = await _recorder.WaitForAsync("slow", s => s.Any(d => d.What == "item:10"), "items 1, 2, a report of 3..6, items 7..10");

        Assert.Equal([1L, 2L, 3L, 7L, 8L, 9L, 10L], seen.Select(d => d.SequenceNumber));
        Assert.StartsWith("error:StreamDeliveryException:", seen[2].What, StringComparison.Ordinal);
        Assert.Contains("sequence numbers 3 to 6 are no longer retained", seen[2].What, StringComparison.Ordinal);
        Assert.Equal(["item:7", "item:8", "item:9", "item:10"], seen.Skip(3).Select(d => d.What));
        Assert.Equal(4, StreamProvider.Of(cluster.Primary.Services, StreamCluster.Wal).Instruments.DeliveryFailures);
    }

    [Fact]
    public async Task SubscribeAsync_TokenBeforeTheErasedEvents_ThrowsStreamRewindExceptionWithTheRetainedRange()
    {
        await using TestCluster cluster = await StreamCluster.StartAsync(_recorder);
        StreamId id = StreamId.Create("ns", "erased-rewind");
        IAsyncStream<int> stream = StreamCluster.Provider(cluster, StreamCluster.Wal).GetStream<int>(id);
        for (int i = 1; i <= 8; i++)
        {
            await stream.OnNextAsync(i);
        }

        IEventLog log = await StreamCluster.Store(cluster).GetLogAsync();
        await log.DeleteEventsToAsync(StreamLogIds.Queue(StreamCluster.Wal, id), 5);
        IConsumerGrain late = cluster.Client.GetGrain<IConsumerGrain>("late");

        StreamRewindException error = await Assert.ThrowsAsync<StreamRewindException>(() => late.Subscribe(StreamCluster.Wal, "ns", "erased-rewind", fromSequenceNumber: 2));

        Assert.Equal((2L, 6L, 8L), (error.Token.SequenceNumber, error.OldestRetained, error.Latest));
        Assert.Equal(0, await late.SubscriptionCount(StreamCluster.Wal, "ns", "erased-rewind"));
        await late.Subscribe(StreamCluster.Wal, "ns", "erased-rewind", fromSequenceNumber: 6);
        IReadOnlyList<Delivery> seen = await _recorder.WaitForAsync("late", s => s.Count >= 3, "items 6..8");
        Assert.Equal(["item:6", "item:7", "item:8"], seen.Select(d => d.What));
    }

    [Fact]
    public async Task Subscriber_RecordThisSiloCannotRead_ToldWithItsTokenThenContinues()
    {
        await using TestCluster cluster = await StreamCluster.StartAsync(_recorder);
        StreamId id = StreamId.Create("ns", "unreadable");
        await cluster.Client.GetGrain<IConsumerGrain>("reader").Subscribe(StreamCluster.Wal, "ns", "unreadable");
        IAsyncStream<int> stream = StreamCluster.Provider(cluster, StreamCluster.Wal).GetStream<int>(id);
        await stream.OnNextAsync(1);

        // Sequence number 2: a record written by a newer silo (it needs stream record format 2), read after a rollback.
        byte[] newer = StreamRecordCodec.Encode(StreamRecordKind.Item, StreamRecordCodec.TypeNameOf(typeof(int)), "2"u8);
        newer[2] = 2;
        IEventLog log = await StreamCluster.Store(cluster).GetLogAsync();
        await log.AppendAsync(StreamLogIds.Queue(StreamCluster.Wal, id), ExpectedVersion.Any, [newer]);
        await stream.OnNextAsync(3);
        IReadOnlyList<Delivery> seen = await _recorder.WaitForAsync("reader", s => s.Any(d => d.What == "item:3"), "item 1, a report of 2, item 3");

        Assert.Equal([1L, 2L, 3L], seen.Select(d => d.SequenceNumber));
        Assert.Equal("item:1", seen[0].What);
        Assert.StartsWith("error:StreamDeliveryException:", seen[1].What, StringComparison.Ordinal);
        Assert.Contains("needs stream record format 2", seen[1].What, StringComparison.Ordinal);
        Assert.Equal("item:3", seen[2].What);
    }
}
