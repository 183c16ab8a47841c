using Actors.Orleans.Clustering.Storage;
using Actors.Replication;
using Actors.Replication.Configuration;

namespace Actors.Orleans.Clustering.Tests.Support;

/// <summary>Moves a partition's leadership by writing its row, as an election or a hand-over would.</summary>
internal static class PartitionTakeOver
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Makes an in-sync replica other than <paramref name="staleLeader"/> leader of the partition's next epoch in its row
    /// (a conditional write, retried on a row changed meanwhile) and returns it. The followers of a leader cut off from
    /// them elect one of themselves once they miss its heartbeats (about a second after the cut, and on a loaded machine
    /// that can come before the row is read and written here): that leader is returned as it is.
    /// </summary>
    public static async Task<ReplicaId> TakeOverAsync(ClusterCatalog catalog, int partition, int staleLeader)
    {
        DateTime deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            ReplicaConfiguration current = await catalog.Partition(partition).ReadAsync();
            if (current.Leader.Value != staleLeader)
            {
                return current.Leader;
            }

            ReplicaId successor = current.InSync.First(r => r.Value != staleLeader);
            if ((await catalog.Partition(partition).TryWriteAsync(current.Version, current.WithNewLeader(successor))).Applied)
            {
                return successor;
            }

            Assert.True(DateTime.UtcNow < deadline, $"partition {partition}'s row still names replica {staleLeader} leader after {Patience} of conditional writes naming another");
        }
    }
}
