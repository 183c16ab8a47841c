using Actors.Replication.Wal;
using Actors.Replication.Wal.EventLog;

namespace Actors.Orleans.Clustering.Replication;

/// <summary>
/// One partition replica this silo runs: its host, the applier that keeps its materialized log, the log the providers
/// use while it leads, the epoch this silo last served calls under, and its hand-over when the silo stops.
/// </summary>
/// <remarks>
/// Hand-over (<see cref="LeadershipHandOver"/>): <see cref="BeginHandOver"/> makes new storage calls of the partition wait
/// (<see cref="HandOverEnded"/>) while its activations here drain and the leadership moves; <see cref="EndHandOver"/>
/// releases them with the successor known (they are refused then, and Orleans places them again, on the new leader).
/// Thread-safe.
/// </remarks>
internal sealed class HeldReplica(int partition, ReplicaHost host, CommittedEntryApplier applier, ReplicatedPartitionLog log, DateTimeOffset startedAt, long rowVersion = 0)
{
    private long _servedEpoch;
    private volatile TaskCompletionSource? _handOver;
    private int _handedOverTo;

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

    /// <summary>
    /// The version of the partition's row naming this replica that it was started on: it is retired only on a row at least
    /// as new (<see cref="ReplicaRetirement.WhyKept"/>).
    /// </summary>
    public long RowVersion => rowVersion;

    /// <summary>The epoch under which the materialized log caught up and calls were served here (0: none).</summary>
    public long ServedEpoch => Interlocked.Read(ref _servedEpoch);

    /// <summary>Records that calls are served under <paramref name="epoch"/> (its materialized log caught up).</summary>
    public void Serve(long epoch) => Interlocked.Exchange(ref _servedEpoch, epoch);

    /// <summary>Ends serving: true when calls were served under some epoch until now (their activations must go).</summary>
    public bool StopServing() => Interlocked.Exchange(ref _servedEpoch, 0) != 0;

    /// <summary>Whether a hand-over of this replica's leadership runs now.</summary>
    public bool HandingOver => _handOver is { Task.IsCompleted: false };

    /// <summary>Completes when the running hand-over ends (at once when none runs).</summary>
    public Task HandOverEnded => _handOver?.Task ?? Task.CompletedTask;

    /// <summary>The replica id this replica handed its leadership to (0: none).</summary>
    public int HandedOverTo => Volatile.Read(ref _handedOverTo);

    /// <summary>Starts a hand-over: new storage calls of the partition wait for <see cref="HandOverEnded"/>.</summary>
    public void BeginHandOver() => _handOver = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Ends the hand-over; <paramref name="successor"/> leads now (0: the leadership did not move).</summary>
    public void EndHandOver(int successor)
    {
        Volatile.Write(ref _handedOverTo, successor);
        _handOver?.TrySetResult();
    }
}
