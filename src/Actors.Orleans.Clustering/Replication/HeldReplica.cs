using Actors.Replication.Wal;
using Actors.Replication.Wal.EventLog;

namespace Actors.Orleans.Clustering.Replication;

/// <summary>
/// One partition replica this silo runs: its host, the applier that keeps its materialized log, the log the providers
/// use while it leads, and the epoch this silo last served calls under.
/// </summary>
/// <remarks>Thread-safe.</remarks>
internal sealed class HeldReplica(int partition, ReplicaHost host, CommittedEntryApplier applier, ReplicatedPartitionLog log, DateTimeOffset startedAt)
{
    private long _servedEpoch;

    /// <summary>The partition.</summary>
    public int Partition => partition;

    /// <summary>The replica's host.</summary>
    public ReplicaHost Host => host;

    /// <summary>Applies committed entries to the materialized log (<c>Applier.Local</c>).</summary>
    public CommittedEntryApplier Applier => applier;

    /// <summary>The partition's log as the providers use it (only while this replica leads and holds its read lease).</summary>
    public ReplicatedPartitionLog Log => log;

    /// <summary>When the replica started.</summary>
    public DateTimeOffset StartedAt => startedAt;

    /// <summary>The epoch under which the materialized log caught up and calls were served here (0: none).</summary>
    public long ServedEpoch => Interlocked.Read(ref _servedEpoch);

    /// <summary>Records that calls are served under <paramref name="epoch"/> (its materialized log caught up).</summary>
    public void Serve(long epoch) => Interlocked.Exchange(ref _servedEpoch, epoch);

    /// <summary>Ends serving: true when calls were served under some epoch until now (their activations must go).</summary>
    public bool StopServing() => Interlocked.Exchange(ref _servedEpoch, 0) != 0;
}
