using Actors.Cluster.Hosting;
using Actors.Cluster.Storage;
using Actors.Wal;
using static Actors.Cluster.Tests.Support.TestClusters;

namespace Actors.Cluster.Tests.InProcess;

/// <summary>
/// A silo whose lease ended by its own clock (a stall past its lease: GC, SIGSTOP, a CPU hog) cannot append to the logs of
/// the partitions it still believes it serves: the write is refused typed and nothing of it is in the log.
/// </summary>
public sealed class FencingTests
{
    [Fact]
    public async Task LeaseEndedLocally_AppendToAServedPartition_RefusedAsFencedAndNothingWritten()
    {
        await using TestCluster cluster = await TestClusters.DeployBalancedAsync(2);
        ClusterSilo silo = cluster.Primary.Services.GetRequiredService<ClusterSilo>();
        PartitionedEventLog log = silo.Logs.Stores.First();
        string stream = await FirstServedStreamAsync(log);

        silo.Membership.Lease.Revoke();
        PartitionFencedException refused = await Assert.ThrowsAsync<PartitionFencedException>(
            async () => await log.AppendAsync(stream, 1, [new byte[] { 2 }]));

        Assert.Contains("nothing was written", refused.Message, StringComparison.Ordinal);
        StreamReadResult read = await log.ReadStreamAsync(stream);
        Assert.Equal(1, read.Version);
    }

    /// <summary>Appends one event to probe streams until one lands in a partition this silo serves; returns that stream.</summary>
    private static async Task<string> FirstServedStreamAsync(PartitionedEventLog log)
    {
        for (int i = 0; i < 1000; i++)
        {
            string stream = $"fence-probe/{i}";
            try
            {
                await log.AppendAsync(stream, 0, [new byte[] { 1 }]);
                return stream;
            }
            catch (PartitionUnavailableException)
            {
                // Another silo's partition: try the next key.
            }
        }

        throw new InvalidOperationException("none of 1,000 probe streams fell in a partition the primary silo serves");
    }
}
