using System.Buffers.Binary;
using Actors.Wal;
using Actors.Wal.Writing;

namespace Actors.Replication.Wal.EventLog;

/// <summary>
/// Hands the decoded operations of a burst to one local (materialized) log without waiting: on a
/// <see cref="WriteAheadLog"/> the appends, checkpoints and stream deletions go into a <see cref="WriteBatch"/> that
/// <see cref="Commit"/> queues together, so the log frames them as one group (one commit, one write system call, when it
/// commits on the calling thread: <see cref="WriteAheadLogOptions.CommitOnCallingThread"/>); any other
/// <see cref="IEventLog"/> gets each call at once.
/// </summary>
/// <remarks>
/// <para>Why (issue 61): called one by one, a log that commits on the calling thread commits each write on its own (about 8
/// commits per replicated entry on every replica of the factor-3 cluster benchmark).</para>
/// <para>Contract: a started operation whose write waits in the batch completes only after <see cref="Commit"/>, so the
/// caller commits before it awaits anything it started. Erases and checkpoint deletions read the stream before they write:
/// they go to the log at once, and the caller commits and finishes what precedes them first. Not thread-safe (the
/// applier's loop).</para>
/// </remarks>
internal sealed class LocalLogWrites
{
    private readonly WriteBatch? _batch;

    /// <summary>Creates the writer of operations onto <paramref name="log"/>.</summary>
    public LocalLogWrites(IEventLog log)
    {
        Log = log;
        _batch = (log as WriteAheadLog)?.CreateWriteBatch();
    }

    /// <summary>The local log written.</summary>
    public IEventLog Log { get; }

    /// <summary>
    /// Hands <paramref name="operation"/> (of the entry at <paramref name="lsn"/>) to the local log without waiting; a
    /// synchronous refusal becomes the started operation's outcome. An append's pending result is kept as the log returned
    /// it (no task, no boxing: most operations are appends); the other writes' results are boxed into a task.
    /// <paramref name="endsEntry"/>: the LSN of the entry the operation ends, else 0.
    /// </summary>
    public StartedOperation Start(DecodedOperation operation, long lsn, long endsEntry)
    {
        try
        {
            return operation.Kind switch
            {
                ReplicatedOperationKind.Append => new StartedOperation(operation.OperationId, Append(operation), null, endsEntry),
                ReplicatedOperationKind.Checkpoint => Other(Boxed(WriteCheckpoint(operation))),
                ReplicatedOperationKind.DeleteStream => Other(Boxed(DeleteStream(operation))),
                ReplicatedOperationKind.EraseEvents => Other(Boxed(Log.DeleteEventsToAsync(operation.StreamId, operation.Version))),
                ReplicatedOperationKind.DeleteCheckpoints => Other(Boxed(Log.DeleteCheckpointsAsync(operation.StreamId, CheckpointCriteria(operation, lsn)))),
                _ => throw new MalformedReplicatedOperationException(lsn, $"unknown kind {operation.Kind}"),
            };
        }
        catch (Exception exception)
        {
            return Other(Task.FromException<object>(exception));
        }

        StartedOperation Other(Task<object> result) => new(operation.OperationId, default, result, endsEntry);
    }

    /// <summary>Queues what <see cref="Start"/> put in the batch (nothing to do for a log without one). Never throws.</summary>
    public void Commit() => _batch?.Commit();

    private ValueTask<AppendResult> Append(DecodedOperation operation)
        => _batch is { } batch
            ? batch.AppendAsync(operation.StreamId, operation.Version, operation.Items)
            : Log.AppendAsync(operation.StreamId, operation.Version, operation.Items);

    private ValueTask<CheckpointResult> WriteCheckpoint(DecodedOperation operation)
        => _batch is { } batch
            ? batch.WriteCheckpointAsync(operation.StreamId, operation.Version, operation.Items[0])
            : Log.WriteCheckpointAsync(operation.StreamId, operation.Version, operation.Items[0]);

    private ValueTask<AppendResult> DeleteStream(DecodedOperation operation)
        => _batch is { } batch
            ? batch.DeleteStreamAsync(operation.StreamId, operation.Version)
            : Log.DeleteStreamAsync(operation.StreamId, operation.Version);

    /// <summary>The version bounds of a <see cref="ReplicatedOperationKind.DeleteCheckpoints"/> operation of the entry at <paramref name="lsn"/>.</summary>
    private static CheckpointSelectionCriteria CheckpointCriteria(DecodedOperation operation, long lsn)
    {
        if (operation.Items.Length != 1 || operation.Items[0].Length != sizeof(long))
        {
            throw new MalformedReplicatedOperationException(lsn, $"a checkpoint deletion carries one 8-byte item (its highest version), not {operation.Items.Length} items");
        }

        return new CheckpointSelectionCriteria(
            MaxVersion: BinaryPrimitives.ReadInt64LittleEndian(operation.Items[0].Span), MinVersion: operation.Version);
    }

    private static async Task<object> Boxed<T>(ValueTask<T> write) where T : notnull => await write.ConfigureAwait(false);
}
