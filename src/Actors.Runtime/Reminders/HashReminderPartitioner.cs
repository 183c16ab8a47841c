using System.Numerics;
using System.Text;

namespace Actors.Reminders;

/// <summary>
/// The default <see cref="IReminderPartitioner"/>: CRC-32C of the UTF-8 grain id (<c>type/key</c>) modulo the partition
/// count. Stable across processes and versions (no randomized string hashing).
/// </summary>
public sealed class HashReminderPartitioner : IReminderPartitioner
{
    /// <summary>Creates a partitioner with <paramref name="partitionCount"/> partitions.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The count is below 1 or above <see cref="Hosting.ReminderOptions.MaxPartitionCount"/>.</exception>
    public HashReminderPartitioner(int partitionCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(partitionCount, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(partitionCount, Hosting.ReminderOptions.MaxPartitionCount);
        PartitionCount = partitionCount;
    }

    /// <inheritdoc />
    public int PartitionCount { get; }

    /// <inheritdoc />
    public int GetPartition(GrainId grainId)
    {
        uint crc = ~0u;
        foreach (byte b in Encoding.UTF8.GetBytes(grainId.ToString()))
        {
            crc = BitOperations.Crc32C(crc, b);
        }

        return (int)(~crc % (uint)PartitionCount);
    }
}
