using Actors.Hosting;
using Actors.Persistence.Wal;
using Actors.Persistence.Wal.Hosting;
using Actors.Runtime;
using Actors.Streaming.Tests.Grains;
using Actors.Streaming.Tests.Support;
using Actors.Streams;
using Actors.Streams.Storage;
using Actors.TestingHost;
using Actors.Wal;
using Microsoft.Extensions.DependencyInjection;
using StreamId = Actors.Runtime.StreamId;

namespace Actors.Streaming.Tests;

/// <summary>Retention: events every subscription acknowledged become reclaimable in a store that reclaims checkpointed events.</summary>
[Trait("Category", "Integration")]
public sealed class RetentionTests
{
    private readonly DeliveryRecorder _recorder = new();

    [Fact]
    public async Task UntilDelivered_AllSubscribersAcknowledged_QueueIsCheckpointedUpToTheirCursors()
    {
        await using TestCluster cluster = await StreamCluster.StartAsync(_recorder, configure: silo =>
        {
            silo.AddWriteAheadLog("streams", o =>
            {
                o.Directory = Path.Combine(silo.GetTestSiloContext().DataDirectory, "streams");
                o.PreallocateSegments = false;
                o.EventHistory = EventHistoryPolicy.ReclaimAfterCheckpoint;
            });
            silo.AddWriteAheadLogStreams("trim", o =>
            {
                o.StoreName = "streams";
                o.Retention = StreamRetention.UntilDelivered;
                o.TrimEveryEvents = 10;
            });
        });
        await cluster.Client.GetGrain<IConsumerGrain>("reader").Subscribe("trim", "ns", "kept");
        IAsyncStream<int> stream = StreamCluster.Provider(cluster, "trim").GetStream<int>(StreamId.Create("ns", "kept"));
        for (int i = 1; i <= 50; i++)
        {
            await stream.OnNextAsync(i);
        }

        await _recorder.WaitForSequenceAsync("reader", 50);

        // A graceful stop records the acknowledged cursors (and the retention checkpoint that follows them) before the log closes.
        await cluster.StopSiloAsync(cluster.Primary);
        await cluster.RestartSiloAsync(cluster.Primary);
        IEventLog log = await cluster.Primary.Services.GetRequiredKeyedService<WriteAheadLogStore>("streams").GetLogAsync();
        StreamInfo queue = log.GetStreamInfo(StreamLogIds.Queue("trim", StreamId.Create("ns", "kept")));

        Assert.Equal(50, queue.Version);
        Assert.InRange(queue.CheckpointVersion, 40, 50);
        await StreamCluster.Provider(cluster, "trim").GetStream<int>(StreamId.Create("ns", "kept")).OnNextAsync(51);
        await cluster.Client.GetGrain<IConsumerGrain>("recent").Subscribe("trim", "ns", "kept", fromSequenceNumber: 51);
        IReadOnlyList<Delivery> seen = await _recorder.WaitForAsync("recent", s => s.Count >= 1, "item 51");
        Assert.Equal([new Delivery("recent", "", 51, "item:51")], seen);
    }
}
