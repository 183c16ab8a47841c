using System.Collections.Concurrent;
using System.Net;
using Actors.Orleans.Clustering.Tests.Support;
using Actors.Orleans.Clustering.Transport;
using Actors.Replication;
using Actors.Replication.Messages;
using Orleans.Runtime;
using Orleans.TestingHost;

namespace Actors.Orleans.Clustering.Tests.Transport;

/// <summary>
/// The replication transport between two TestingHost silos (in-process, Orleans's own links): a frame reaches the replica
/// registered for its partition on the addressed silo, and nothing that is not a silo of the cluster is heard.
/// </summary>
public sealed class OrleansReplicaMessagingTests(PostgresDatabase postgres) : IClassFixture<PostgresDatabase>, IDisposable
{
    private const int Partition = 3;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly TempDirectory _root = new();
    private readonly string _clusterId = "t-" + Guid.NewGuid().ToString("N");

    [Fact]
    public async Task Send_ToReplicaOnAnotherSilo_ArrivesAtItsPartitionsHandlerOnly()
    {
        await using TestCluster cluster = await TransportTestCluster.StartAsync(_root.Path, postgres.ConnectionString, _clusterId, 2);
        SiloHandle a = cluster.Primary ?? throw new InvalidOperationException("the cluster has no primary silo");
        SiloHandle b = cluster.SecondarySilos[0];
        OrleansReplicaMessaging onA = TransportTestCluster.Messaging(a);
        OrleansReplicaMessaging onB = TransportTestCluster.Messaging(b);
        var fromA = new ReplicaId(TransportTestCluster.ReplicaId(a));
        var toB = new ReplicaId(TransportTestCluster.ReplicaId(b));
        var atB = new ConcurrentQueue<ReplicationMessage>();
        var atA = new ConcurrentQueue<ReplicationMessage>();
        onB.Register(Partition, atB.Enqueue);
        onA.Register(Partition, atA.Enqueue);
        Assert.True(await onA.Addresses.RefreshAsync(), "silo A could not read the replicas' addresses");

        onA.For(Partition).Send(fromA, toB, new AppendAccepted(fromA, 5, 12, 11, 77));

        await Eventually.TrueAsync(() => !atB.IsEmpty, Timeout, $"the message from replica {fromA} to replica {toB} (partition {Partition}) at silo B's handler");
        var accepted = Assert.IsType<AppendAccepted>(Assert.Single(atB));
        Assert.Equal((fromA, 5L, 12L, 11L, 77L), (accepted.From, accepted.Epoch, accepted.MatchedOffset, accepted.DurableOffset, accepted.EchoedStamp));
        Assert.Empty(atA);

        // A partition without a registered replica on B: accepted from a member, then dropped; nothing reaches partition 3.
        ReplicaMessagingCounts before = onB.Counts;
        onA.For(Partition + 1).Send(fromA, toB, new AppendFenced(fromA, 6));
        await Eventually.TrueAsync(() => onB.Counts.Dropped > before.Dropped, Timeout, "silo B dropping the frame of a partition it has no replica of");
        Assert.Equal((before.Received + 1, before.Delivered, before.Refused), (onB.Counts.Received, onB.Counts.Delivered, onB.Counts.Refused));
        Assert.Single(atB);
        Assert.Empty(atA);
    }

    [Fact]
    public async Task Receive_FromClientStrangerOtherClusterImpostorOrMalformed_RefusedAndNothingDelivered()
    {
        await using TestCluster cluster = await TransportTestCluster.StartAsync(_root.Path, postgres.ConnectionString, _clusterId, 2);
        SiloHandle a = cluster.Primary ?? throw new InvalidOperationException("the cluster has no primary silo");
        SiloHandle b = cluster.SecondarySilos[0];
        OrleansReplicaMessaging onA = TransportTestCluster.Messaging(a);
        OrleansReplicaMessaging onB = TransportTestCluster.Messaging(b);
        var fromA = new ReplicaId(TransportTestCluster.ReplicaId(a));
        int toB = TransportTestCluster.ReplicaId(b);
        var atB = new ConcurrentQueue<ReplicationMessage>();
        onB.Register(Partition, atB.Enqueue);
        byte[] Frame(string clusterId, SiloAddress sender, long epoch) =>
            ReplicationFrameCodec.Encode(new ReplicationFrame(clusterId, Partition, fromA.Value, toB, sender, new AppendFenced(fromA, epoch)));

        // A well-formed frame, naming silo A and this cluster, sent by a client through the gateway.
        IReplicaFrameService endpointOfB = cluster.Client.GetGrain<IReplicaFrameService>(TransportTestCluster.EndpointId(b));
        await endpointOfB.Receive(Frame(_clusterId, a.SiloAddress, 1));
        await Eventually.TrueAsync(() => onB.Counts.Refused == 1, Timeout, "silo B refusing the frame a client sent");

        // From silo A's transport: a frame of another cluster, one naming silo B as its sender, a damaged one.
        onA.SendFrame(b.SiloAddress, Frame("another-cluster", a.SiloAddress, 2), Partition, toB);
        onA.SendFrame(b.SiloAddress, Frame(_clusterId, b.SiloAddress, 3), Partition, toB);
        byte[] damaged = Frame(_clusterId, a.SiloAddress, 4);
        damaged[^9] ^= 0x10;
        onA.SendFrame(b.SiloAddress, damaged, Partition, toB);
        await Eventually.TrueAsync(() => onB.Counts.Refused == 4, Timeout, "silo B refusing 4 frames in all (1 from the client, 3 from silo A)");

        // A caller that is a silo's transport, of a silo that Orleans's membership does not list (as the call filter hands it on).
        Assert.True(SystemTargetGrainId.TryParse(TransportTestCluster.EndpointId(b), out SystemTargetGrainId endpoint));
        SiloAddress stranger = SiloAddress.New(new IPEndPoint(IPAddress.Loopback, 1), 1);
        onB.Receive(Frame(_clusterId, stranger, 6), endpoint.WithSiloAddress(stranger).GrainId);
        Assert.Equal(5L, onB.Counts.Refused);

        // The same path delivers a good frame: only the refused ones were kept from the replica.
        onA.SendFrame(b.SiloAddress, Frame(_clusterId, a.SiloAddress, 5), Partition, toB);
        await Eventually.TrueAsync(() => !atB.IsEmpty, Timeout, "silo B delivering the well-formed frame from silo A");
        Assert.Equal(5, Assert.IsType<AppendFenced>(Assert.Single(atB)).Epoch);
        Assert.Equal((1L, 1L, 5L), (onB.Counts.Received, onB.Counts.Delivered, onB.Counts.Refused));
    }

    public void Dispose() => _root.Dispose();
}
