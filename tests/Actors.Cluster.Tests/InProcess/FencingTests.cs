using Actors.Cluster.Hosting;
using Actors.Cluster.Partitioning;
using Actors.Cluster.Storage;
using Actors.Wal;
using static Actors.Cluster.Tests.Support.TestClusters;

namespace Actors.Cluster.Tests.InProcess;

/// <summary>
/// A silo whose lease ended by its own clock (a stall past its lease: GC, SIGSTOP, a CPU hog), or whose epoch of a
/// partition was superseded by a newer grant (the row changed under its feet, a second claimant), cannot append to the
/// logs of the partitions it still believes it serves: the write is refused typed and nothing of it is in the log.
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

    /// <summary>
    /// The silo's reconcile is held (it still serves the partition under its old epoch, as in the moment between a table
    /// read and the reconcile acting on it); the partition row is rewritten to the other silo under the next epoch. Once
    /// the silo has read that row, an append under its old epoch is refused as fenced; nothing of it is in the log, read
    /// back through the open log and, after the silo is killed, from the partition's files on disk.
    /// </summary>
    [Fact]
    public async Task EpochSupersededUnderItsFeet_AppendBeforeTheSiloStopsServing_RefusedAsFencedAndNothingWritten()
    {
        await using TestCluster cluster = await TestClusters.DeployBalancedAsync(2);
        ClusterSilo silo = cluster.Primary.Services.GetRequiredService<ClusterSilo>();
        ClusterSilo claimant = cluster.SecondarySilos[0].Services.GetRequiredService<ClusterSilo>();
        PartitionedEventLog log = silo.Logs.Stores.First();
        string stream = await FirstServedStreamAsync(log);
        int partition = log.GetPartition(GrainId.Parse(stream));
        (LocalPartitionState state, long epoch) = silo.Ownership.StateOf(partition);
        Assert.Equal(LocalPartitionState.Serving, state);
        string directory = PartitionLogHost.PartitionDirectory(log, partition);

        await silo.Ownership.StopAsync();
        await SupersedeAsync(silo, partition, claimant);
        await Eventually.TrueAsync(() => Task.FromResult(silo.Membership.Current!.Partitions[partition].Epoch == epoch + 1), Patience,
            $"the silo read partition {partition}'s epoch {epoch + 1}");
        Assert.Equal((LocalPartitionState.Serving, epoch), silo.Ownership.StateOf(partition));

        PartitionFencedException refused = await Assert.ThrowsAsync<PartitionFencedException>(
            async () => await log.AppendAsync(stream, 1, [new byte[] { 2 }]));
        Assert.Equal(partition, refused.Partition);
        Assert.Equal(epoch, refused.Epoch);
        await Assert.ThrowsAsync<PartitionFencedException>(async () => await log.WriteCheckpointAsync(stream, 1, new byte[] { 9 }));
        StreamReadResult read = await log.ReadStreamAsync(stream);
        Assert.Equal(1, read.Version);
        Assert.Null(read.Checkpoint);

        await cluster.KillSiloAsync(cluster.Primary);
        await AssertOnDiskAsync(directory, stream, expectedVersion: 1);
    }

    /// <summary>
    /// The partition row is rewritten to the other silo under the next epoch while the silo's reconcile runs: the silo
    /// stops serving the partition, and an append to it is refused typed (unavailable here, naming the partition); the log
    /// it served holds nothing of the refused write on disk.
    /// </summary>
    [Fact]
    public async Task EpochSupersededUnderItsFeet_SiloStopsServing_AppendRefusedTypedAndNothingWrittenOnDisk()
    {
        await using TestCluster cluster = await TestClusters.DeployBalancedAsync(2);
        ClusterSilo silo = cluster.Primary.Services.GetRequiredService<ClusterSilo>();
        ClusterSilo claimant = cluster.SecondarySilos[0].Services.GetRequiredService<ClusterSilo>();
        PartitionedEventLog log = silo.Logs.Stores.First();
        string stream = await FirstServedStreamAsync(log);
        int partition = log.GetPartition(GrainId.Parse(stream));
        string directory = PartitionLogHost.PartitionDirectory(log, partition);

        await SupersedeAsync(silo, partition, claimant);
        await Eventually.TrueAsync(() => Task.FromResult(!log.ServedPartitions.Contains(partition)), Patience,
            $"the silo stopped serving partition {partition} after its epoch was superseded");

        PartitionUnavailableException refused = await Assert.ThrowsAsync<PartitionUnavailableException>(
            async () => await log.AppendAsync(stream, 1, [new byte[] { 2 }]));
        Assert.Equal(partition, refused.Partition);

        await cluster.KillSiloAsync(cluster.Primary);
        await AssertOnDiskAsync(directory, stream, expectedVersion: 1);
    }

    /// <summary>Rewrites <paramref name="partition"/>'s row to <paramref name="claimant"/> under the next epoch, as a second claimant would.</summary>
    private static async Task SupersedeAsync(ClusterSilo silo, int partition, ClusterSilo claimant)
    {
        ClusterSnapshot table = await silo.Store.ReadAsync(silo.Options.ClusterId, CancellationToken.None);
        PartitionRecord row = table.Partitions[partition];
        Assert.Equal(silo.SiloName, row.Owner);
        PartitionRecord taken = row with { Owner = claimant.SiloName, OwnerIncarnation = claimant.Incarnation, Epoch = row.Epoch + 1, State = PartitionState.Owned, Target = null };
        Assert.True(await silo.Store.TryApplyAsync(silo.Options.ClusterId, new ClusterUpdate().Write(taken, row.Version), CancellationToken.None),
            $"rewrite of {row} to {taken}");
    }

    /// <summary>Opens the partition's log files read-only (the silo is gone) and checks the stream's version and that it has no checkpoint.</summary>
    private static async Task AssertOnDiskAsync(string directory, string stream, long expectedVersion)
    {
        await using WriteAheadLog onDisk = await WriteAheadLog.OpenAsync(new WriteAheadLogOptions { Directory = directory, ReadOnly = true });
        StreamReadResult read = await onDisk.ReadStreamAsync(stream);
        Assert.Equal(expectedVersion, read.Version);
        Assert.Null(read.Checkpoint);
        Assert.Equal(expectedVersion, (await onDisk.ReadEventsAsync(stream, 1, long.MaxValue)).Count);
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
