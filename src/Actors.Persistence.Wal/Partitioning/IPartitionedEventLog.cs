using Actors.Wal;

namespace Actors.Persistence.Wal;

/// <summary>
/// The event log of a write-ahead-log store in a cluster: one log per partition, each served by the partition's owner
/// silo. A grain's stream lives in its grain id's partition; a log stream that is not a grain's (a stream queue, a
/// per-partition index) lives where a registered <see cref="ILogPartitionParticipant"/> says.
/// </summary>
/// <remarks>
/// Reading or writing a stream of a partition this silo does not serve throws <see cref="PartitionUnavailableException"/>.
/// Partitions come and go as ownership moves: participants are told after a partition's log opened here and before it
/// closes, while it is still writable by this silo (a hand-off flushes what they write then into the moved files).
/// </remarks>
public interface IPartitionedEventLog : IEventLog
{
    /// <summary>The cluster's partition count (fixed when the cluster was created).</summary>
    int PartitionCount { get; }

    /// <summary>The partitions whose logs are open on this silo now.</summary>
    IReadOnlyCollection<int> ServedPartitions { get; }

    /// <summary>The partition of <paramref name="grainId"/> (the cluster's grain placement function).</summary>
    int GetPartition(GrainId grainId);

    /// <summary>
    /// Registers <paramref name="participant"/>: its log streams are routed by it, and it hears of partitions attaching
    /// and detaching from now on. Partitions already served are not replayed: read <see cref="ServedPartitions"/> after
    /// registering (a partition can then be reported twice; attach handling must be idempotent).
    /// </summary>
    /// <returns>Unregisters the participant.</returns>
    IDisposable AddParticipant(ILogPartitionParticipant participant);
}

/// <summary>A component that keeps log streams of its own in a partitioned log (for example a stream provider).</summary>
public interface ILogPartitionParticipant
{
    /// <summary>Whether <paramref name="logStreamId"/> is one of this participant's streams, and its partition when it is.</summary>
    bool TryGetPartition(string logStreamId, out int partition);

    /// <summary>Partition <paramref name="partition"/>'s log is open on this silo and writable under its new epoch.</summary>
    Task OnAttachedAsync(int partition);

    /// <summary>
    /// Partition <paramref name="partition"/>'s log is about to close on this silo (it moves away, or the silo stops):
    /// stop using it and record what must survive the move; the log is still attached while this runs.
    /// </summary>
    Task OnDetachingAsync(int partition);
}
