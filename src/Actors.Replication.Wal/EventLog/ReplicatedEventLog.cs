using Actors.Wal;

namespace Actors.Replication.Wal.EventLog;

/// <summary>
/// A partition's <see cref="IEventLog"/> on its replication leader: every write is proposed as one replicated entry and
/// completes only when the entry is acknowledged (durable on every in-sync replica) and applied to the local,
/// materialized log, whose answer (or deterministic refusal) it returns. Reads are served by the materialized log.
/// </summary>
/// <remarks>
/// <para>Write outcomes: the local log's result; a refusal the local log gave (<see cref="StreamVersionConflictException"/>,
/// a <see cref="RequestRejectedException"/>: nothing changed on any replica); <see cref="NotLeaderException"/> (this
/// replica does not lead: nothing appended); <see cref="AppendOutcomeUnknownException"/> (appended but not acknowledged:
/// read the stream before retrying; a write with an expected version is safe to retry, a duplicate fails as a
/// conflict); <see cref="ReplicaHostFailedException"/>.</para>
/// <para>Reads after a failover: call <see cref="CatchUpAsync"/> on the new leader before serving, so the materialized log
/// holds every entry the replica held when it took over (which includes every acknowledged one).</para>
/// <para>Every write of <see cref="IEventLog"/> is replicated; space management, compaction and the change feed belong to the
/// materialized log (use <see cref="SyncPolicy.None"/> for it: durability comes from the replicated entry log, and a
/// restarted replica rebuilds it).</para>
/// </remarks>
public sealed class ReplicatedEventLog : IEventLog
{
    private readonly ReplicaHost _host;
    private readonly CommittedEntryApplier _applier;

    /// <summary>Creates the log over <paramref name="host"/> and its running <paramref name="applier"/> (which owns the materialized log).</summary>
    public ReplicatedEventLog(ReplicaHost host, CommittedEntryApplier applier)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(applier);
        _host = host;
        _applier = applier;
    }

    /// <inheritdoc />
    public long WrittenLsn => _applier.Local.WrittenLsn;

    /// <inheritdoc />
    public long DurableLsn => _applier.Local.DurableLsn;

    /// <summary>Waits until the materialized log holds every entry this leader holds now (call after taking over, before serving reads).</summary>
    /// <exception cref="NotLeaderException">This replica does not lead.</exception>
    public Task CatchUpAsync(CancellationToken cancellationToken = default)
    {
        var status = _host.Status;
        if (!status.IsLeader)
        {
            throw new NotLeaderException(_host.Id, status.Epoch, status.Leader);
        }

        return _applier.WaitAppliedAsync(status.EndLsn, cancellationToken);
    }

    /// <inheritdoc />
    public async ValueTask<AppendResult> AppendAsync(
        string streamId, long expectedVersion, IReadOnlyList<ReadOnlyMemory<byte>> events, CancellationToken cancellationToken = default)
    {
        StreamId.Validate(streamId);
        ArgumentNullException.ThrowIfNull(events);
        if (events.Count == 0)
        {
            throw new ArgumentException("A batch needs at least one event.", nameof(events));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(expectedVersion, ExpectedVersion.Any);
        return (AppendResult)await ProposeAsync(ReplicatedOperationKind.Append, streamId, expectedVersion, events, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<CheckpointResult> WriteCheckpointAsync(string streamId, long version, ReadOnlyMemory<byte> state, CancellationToken cancellationToken = default)
    {
        StreamId.Validate(streamId);
        return (CheckpointResult)await ProposeAsync(ReplicatedOperationKind.Checkpoint, streamId, version, [state], cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<AppendResult> DeleteStreamAsync(string streamId, long expectedVersion, CancellationToken cancellationToken = default)
    {
        StreamId.Validate(streamId);
        return (AppendResult)await ProposeAsync(ReplicatedOperationKind.DeleteStream, streamId, expectedVersion, [], cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<EraseResult> DeleteEventsToAsync(string streamId, long toVersion, CancellationToken cancellationToken = default)
    {
        StreamId.Validate(streamId);
        return (EraseResult)await ProposeAsync(ReplicatedOperationKind.EraseEvents, streamId, toVersion, [], cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public ValueTask<StreamReadResult> ReadStreamAsync(string streamId, ReadBound bound = default, CancellationToken cancellationToken = default)
        => _applier.Local.ReadStreamAsync(streamId, bound, cancellationToken);

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<StoredEvent>> ReadEventsAsync(string streamId, long fromVersion, long toVersion, CancellationToken cancellationToken = default)
        => _applier.Local.ReadEventsAsync(streamId, fromVersion, toVersion, cancellationToken);

    /// <inheritdoc />
    public IAsyncEnumerable<StoredEvent> ReadStreamEventsAsync(string streamId, long fromVersion = 1, CancellationToken cancellationToken = default)
        => _applier.Local.ReadStreamEventsAsync(streamId, fromVersion, cancellationToken);

    /// <inheritdoc />
    public StreamInfo GetStreamInfo(string streamId) => _applier.Local.GetStreamInfo(streamId);

    /// <summary>Nothing to do: a completed write is already durable on every in-sync replica.</summary>
    public ValueTask FlushAsync(CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

    /// <inheritdoc />
    public LogStatistics GetStatistics() => _applier.Local.GetStatistics();

    /// <summary>Nothing to release: the host, the applier and the materialized log belong to their creator.</summary>
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private async Task<object> ProposeAsync(
        ReplicatedOperationKind kind, string streamId, long version, IReadOnlyList<ReadOnlyMemory<byte>> items, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var operation = new ReplicatedOperation(kind, Guid.NewGuid(), streamId, version, items);
        var applied = _applier.Expect(operation.OperationId);
        try
        {
            await _host.AppendAsync(operation.Encode()).ConfigureAwait(false);
        }
        catch
        {
            _applier.Forget(operation.OperationId);
            throw;
        }

        return await applied.WaitAsync(cancellationToken).ConfigureAwait(false);
    }
}
