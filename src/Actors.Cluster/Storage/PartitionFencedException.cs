namespace Actors.Cluster.Storage;

/// <summary>
/// A write to a partition's log was refused because this silo may no longer act as its owner: its lease ended (by its own
/// conservative clock) or another epoch was granted. Nothing was written.
/// </summary>
[GenerateSerializer]
public sealed class PartitionFencedException : ClusterException
{
    /// <summary>Creates the exception.</summary>
    public PartitionFencedException(int partition, long epoch, string store, string streamId)
        : base($"Write to stream '{streamId}' of store '{store}' refused: this silo's lease or epoch {epoch} for partition {partition} is no longer current; nothing was written.")
    {
        Partition = partition;
        Epoch = epoch;
    }

    /// <summary>The partition.</summary>
    [Id(0)]
    public int Partition { get; }

    /// <summary>The epoch the silo held.</summary>
    [Id(1)]
    public long Epoch { get; }
}
