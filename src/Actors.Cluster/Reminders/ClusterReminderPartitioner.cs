using Actors.Cluster.Membership;
using Actors.Cluster.Partitioning;
using Actors.Reminders;

namespace Actors.Cluster.Reminders;

/// <summary>
/// The reminder partitions of a cluster silo are the cluster's grain partitions (<see cref="PartitionMap"/>): a grain's
/// reminder rows live in the reminder stream of its own partition's log, so they move with the partition.
/// </summary>
/// <remarks>The count is the one stored in the cluster table, known once the silo joined; the table need not record it.</remarks>
internal sealed class ClusterReminderPartitioner(MembershipAgent membership) : IReminderPartitioner
{
    /// <inheritdoc />
    public int PartitionCount => membership.Current?.PartitionCount
        ?? throw new InvalidOperationException("The silo has not joined its cluster yet: the reminder partitions are the cluster's partitions, whose count the cluster table holds.");

    /// <inheritdoc />
    public bool TableRecordsPartitionCount => false;

    /// <inheritdoc />
    public int GetPartition(GrainId grainId) => PartitionMap.GetPartition(grainId, PartitionCount);
}
