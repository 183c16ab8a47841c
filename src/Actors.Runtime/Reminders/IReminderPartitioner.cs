namespace Actors.Reminders;

/// <summary>
/// Maps a grain to the partition that holds its reminder rows. The owner of a partition schedules and fires its
/// reminders; a cluster replaces this service with its own grain-to-partition map, so reminder rows move with the
/// grain partitions (see docs/reminders.md).
/// </summary>
/// <remarks>Must be stable: the same grain always maps to the same partition for a given <see cref="PartitionCount"/>.</remarks>
public interface IReminderPartitioner
{
    /// <summary>The number of partitions; partitions are 0 .. PartitionCount - 1.</summary>
    int PartitionCount { get; }

    /// <summary>The partition of <paramref name="grainId"/>.</summary>
    int GetPartition(GrainId grainId);

    /// <summary>
    /// Whether the reminder table records <see cref="PartitionCount"/> and refuses to start under another count (true by
    /// default). False when something else already fixes the count for the life of the data (a cluster stores its
    /// partition count in its cluster table).
    /// </summary>
    bool TableRecordsPartitionCount => true;
}
