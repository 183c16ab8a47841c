using Actors.Cluster.Replication;
using Actors.Cluster.Tests.Support;
using Actors.Replication;
using Actors.Replication.Messages;
using Actors.Replication.Tests.Hosting;
using Xunit.Abstractions;
using static Actors.Replication.Tests.Hosting.ReplicaHostScenarios;

namespace Actors.Cluster.Tests.Replication;

/// <summary>
/// Replication messages over the silo transport (loopback TCP, HMAC handshake): three replicas on real disks, each
/// behind its own silo transport, through the fault scenarios of the in-process tests; and the same replicas hosted by the
/// silos of a 3-silo test cluster, their messages dispatched by each silo's own message handler.
/// </summary>
[Trait("Category", "Integration")]
public sealed class ReplicationOverSiloTransportTests(ITestOutputHelper output)
{
    [Fact]
    public async Task LeaderKilled_MessagesOverSiloTransport_SuccessorTakesOverWithNoAcknowledgedEntryLost()
    {
        await using var replicas = new HostedReplicas(3, FailoverOptions(), network: new SiloReplicaNetwork(partition: 5));

        output.WriteLine(await LeaderKilledAsync(replicas));
    }

    [Fact]
    public async Task PausedLeader_MessagesOverSiloTransport_CannotAcknowledgeAfterItsSuccessorTookOver()
    {
        await using var replicas = new HostedReplicas(3, FailoverOptions(), network: new SiloReplicaNetwork(partition: 6));

        output.WriteLine(await LeaderPausedAsync(replicas));
    }

    [Fact]
    public async Task LeaderKilled_ReplicasHostedBySilosOfATestCluster_SuccessorTakesOverWithNoAcknowledgedEntryLost()
    {
        await using var cluster = await TestClusters.DeployAsync(3);
        await using var replicas = new HostedReplicas(3, FailoverOptions(), network: new ClusterSiloReplicaNetwork(cluster, partition: 7));

        output.WriteLine(await LeaderKilledAsync(replicas));
    }

    [Fact]
    public void ReplicationFrame_RoundTrip_KeepsPartitionReplicasAndMessage()
    {
        var message = new AppendAccepted(new ReplicaId(2), 7, 40, 39);

        var (partition, from, to, decoded) = ReplicationFrame.Read(ReplicationFrame.Write(12, new ReplicaId(2), new ReplicaId(1), message));

        Assert.Equal(12, partition);
        Assert.Equal(new ReplicaId(2), from);
        Assert.Equal(new ReplicaId(1), to);
        Assert.Equal(message, decoded);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(12)]
    public void ReplicationFrame_TruncatedHeader_ThrowsMalformed(int length)
    {
        var frame = ReplicationFrame.Write(1, new ReplicaId(1), new ReplicaId(2), new AppendFenced(new ReplicaId(1), 3));

        Assert.Throws<MalformedReplicationMessageException>(() => ReplicationFrame.Read(frame.AsSpan(0, length)));
    }

    [Fact]
    public void ReplicationFrame_UnknownVersion_ThrowsMalformed()
    {
        var frame = ReplicationFrame.Write(1, new ReplicaId(1), new ReplicaId(2), new AppendFenced(new ReplicaId(1), 3));
        frame[0] = 9;

        var error = Assert.Throws<MalformedReplicationMessageException>(() => ReplicationFrame.Read(frame));
        Assert.Contains("version 9", error.Message, StringComparison.Ordinal);
    }
}
