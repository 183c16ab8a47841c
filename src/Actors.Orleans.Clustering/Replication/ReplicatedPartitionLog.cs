using Actors.Replication;
using Actors.Replication.Wal;
using Actors.Replication.Wal.EventLog;
using Actors.Wal;

namespace Actors.Orleans.Clustering.Replication;

/// <summary>
/// A partition's <see cref="ReplicatedEventLog"/> as the providers see it: the protocol's errors become the providers'
/// typed errors, with the protocol's error inside (the providers translate only the engine's own errors).
/// </summary>
/// <remarks>
/// <para><see cref="NotLeaderException"/> (this replica does not lead: nothing appended) becomes
/// <see cref="WriteAheadLogUnavailableException"/>: retryable, the next call is placed on the partition's leader.
/// <see cref="AppendOutcomeUnknownException"/> (appended by a leader that lost its leadership before the in-sync replicas
/// acknowledged it: it may or may not survive) and <see cref="ReplicaHostFailedException"/> (the replica stopped on an
/// I/O error or a broken invariant with the write in flight) become <see cref="WriteAheadLogOperationException"/> with
/// <c>OutcomeUnknown</c> true, since "nothing was stored" would not be true; the grain's next activation (on the
/// partition's leader) reads what survived.</para>
/// <para>Either way the failure is reported (<c>failed</c>) before it is thrown, so that the calling activation, whose
/// in-memory state may now be ahead of the partition's, is deactivated.</para>
/// <para>Thread-safe (as the log it wraps).</para>
/// </remarks>
internal sealed class ReplicatedPartitionLog(int partition, ReplicatedEventLog inner, Action<Exception> failed) : IEventLog
{
    private readonly PendingPartitionAppendPool _pendingAppends = new();

    /// <summary>The partition.</summary>
    public int Partition => partition;

    /// <summary>The wrapped log.</summary>
    public ReplicatedEventLog Inner => inner;

    /// <inheritdoc />
    public long WrittenLsn => inner.WrittenLsn;

    /// <inheritdoc />
    public long DurableLsn => inner.DurableLsn;

    /// <inheritdoc />
    /// <remarks>
    /// A pending write is awaited by a pooled <see cref="PendingPartitionAppend"/> (no async state machine per append), which
    /// translates its errors as the other writes do: await the returned task once.
    /// </remarks>
    public ValueTask<AppendResult> AppendAsync(string streamId, long expectedVersion, IReadOnlyList<ReadOnlyMemory<byte>> events, CancellationToken cancellationToken = default)
    {
        ValueTask<AppendResult> write;
        try
        {
            write = inner.AppendAsync(streamId, expectedVersion, events, cancellationToken);
        }
        catch (Exception ex)
        {
            return ValueTask.FromException<AppendResult>(ex is ReplicationException replication ? Translate(replication, "Appending", streamId) : ex);
        }

        if (!write.IsCompleted)
        {
            return _pendingAppends.Rent().Start(this, streamId, write);
        }

        if (write.IsCompletedSuccessfully)
        {
            return write;
        }

        // Refused before anything was proposed (the inner log's refusals are its task's, read here once as a task that
        // keeps a cancellation a cancellation).
        var refused = write.AsTask();
        return refused.Exception?.InnerException is ReplicationException protocol
            ? ValueTask.FromException<AppendResult>(Translate(protocol, "Appending", streamId))
            : new ValueTask<AppendResult>(refused);
    }

    /// <inheritdoc />
    public async ValueTask<CheckpointResult> WriteCheckpointAsync(string streamId, long version, ReadOnlyMemory<byte> state, CancellationToken cancellationToken = default)
    {
        try
        {
            return await inner.WriteCheckpointAsync(streamId, version, state, cancellationToken).ConfigureAwait(false);
        }
        catch (ReplicationException ex)
        {
            throw Translate(ex, "Writing a checkpoint of", streamId);
        }
    }

    /// <inheritdoc />
    public async ValueTask<AppendResult> DeleteStreamAsync(string streamId, long expectedVersion, CancellationToken cancellationToken = default)
    {
        try
        {
            return await inner.DeleteStreamAsync(streamId, expectedVersion, cancellationToken).ConfigureAwait(false);
        }
        catch (ReplicationException ex)
        {
            throw Translate(ex, "Deleting", streamId);
        }
    }

    /// <inheritdoc />
    public async ValueTask<EraseResult> DeleteEventsToAsync(string streamId, long toVersion, CancellationToken cancellationToken = default)
    {
        try
        {
            return await inner.DeleteEventsToAsync(streamId, toVersion, cancellationToken).ConfigureAwait(false);
        }
        catch (ReplicationException ex)
        {
            throw Translate(ex, "Erasing events of", streamId);
        }
    }

    /// <inheritdoc />
    public ValueTask<StreamReadResult> ReadStreamAsync(string streamId, ReadBound bound = default, CancellationToken cancellationToken = default) =>
        inner.ReadStreamAsync(streamId, bound, cancellationToken);

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<StoredEvent>> ReadEventsAsync(string streamId, long fromVersion, long toVersion, CancellationToken cancellationToken = default) =>
        inner.ReadEventsAsync(streamId, fromVersion, toVersion, cancellationToken);

    /// <inheritdoc />
    public IAsyncEnumerable<StoredEvent> ReadStreamEventsAsync(string streamId, long fromVersion = 1, CancellationToken cancellationToken = default) =>
        inner.ReadStreamEventsAsync(streamId, fromVersion, cancellationToken);

    /// <inheritdoc />
    public StreamInfo GetStreamInfo(string streamId) => inner.GetStreamInfo(streamId);

    /// <inheritdoc />
    public ValueTask FlushAsync(CancellationToken cancellationToken = default) => inner.FlushAsync(cancellationToken);

    /// <inheritdoc />
    public LogStatistics GetStatistics() => inner.GetStatistics();

    /// <inheritdoc />
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <summary>Reports <paramref name="exception"/> (the calling activation is deactivated) and returns the providers' typed error for it.</summary>
    internal Exception Translate(ReplicationException exception, string operation, string streamId)
    {
        failed(exception);
        return TranslateCore(exception, operation, streamId);
    }

    private Exception TranslateCore(ReplicationException exception, string operation, string streamId) => exception switch
    {
        NotLeaderException notLeader => new WriteAheadLogUnavailableException(
            $"{operation} stream '{streamId}' refused: this silo's replica of partition {partition} does not lead it (any more) (epoch {notLeader.Epoch}, leader {(notLeader.KnownLeader is { } leader ? $"replica {leader.Value}" : "unknown")}). Nothing was stored; retry the call, it is placed on the partition's leader.",
            exception),
        _ => new WriteAheadLogOperationException(
            $"{operation} stream '{streamId}' in partition {partition} (replicated: {exception.GetType().Name})", streamId, outcomeUnknown: true, exception),
    };
}
