namespace Actors.Wal.Writing;

/// <summary>
/// Appends, checkpoints and stream deletions for one <see cref="WriteAheadLog"/>, handed to its writer together by
/// <see cref="Commit"/>: one drain frames them all into the open group, so a log that commits on the calling thread
/// (<see cref="WriteAheadLogOptions.CommitOnCallingThread"/>) writes and publishes them with one commit instead of one
/// each (replication's applier: a burst of committed entries onto a replica's materialized log, issue 61).
/// </summary>
/// <remarks>
/// <para>Contract: nothing added is queued before <see cref="Commit"/>, so a task returned here completes only after it;
/// the caller must call <see cref="Commit"/> before it awaits any of them (or it waits forever), and must not start other
/// writes on the same log in between that it expects to come after these (they would be written first).</para>
/// <para>Each write keeps its own outcome, as if called alone and in this order: a refused write (a version conflict, a
/// checkpoint out of range) fails its own task and nothing else; an argument the log refuses at once (too large, a bad
/// id) throws from the call that adds it, and nothing is added. A log that cannot take writes when <see cref="Commit"/>
/// runs (closed, read-only, failed) fails every task with the error the write would have met alone. Groups are still
/// split at <see cref="WriteAheadLogOptions.MaxBatchBytes"/> and at rotations.</para>
/// <para>Not thread-safe: one owner adds and commits. Reusable: <see cref="Commit"/> empties it.</para>
/// </remarks>
internal sealed class WriteBatch
{
    private readonly WriteAheadLog _log;
    private readonly List<StreamWriteRequest> _requests = [];

    /// <summary>Creates an empty batch for <paramref name="log"/>.</summary>
    public WriteBatch(WriteAheadLog log)
    {
        _log = log;
    }

    /// <summary>The writes added since the last <see cref="Commit"/>.</summary>
    public int Count => _requests.Count;

    /// <summary>Adds an append (<see cref="IEventLog.AppendAsync"/>); its task completes once committed.</summary>
    public ValueTask<AppendResult> AppendAsync(string streamId, long expectedVersion, IReadOnlyList<ReadOnlyMemory<byte>> events)
    {
        var request = _log.NewAppendRequest(streamId, expectedVersion, events);
        _requests.Add(request);
        return request.AsAppendTask();
    }

    /// <summary>Adds a checkpoint (<see cref="IEventLog.WriteCheckpointAsync"/>); its task completes once committed.</summary>
    public ValueTask<CheckpointResult> WriteCheckpointAsync(string streamId, long version, ReadOnlyMemory<byte> state)
    {
        var request = _log.NewCheckpointRequest(streamId, version, state);
        _requests.Add(request);
        return request.AsCheckpointTask();
    }

    /// <summary>Adds a stream deletion (<see cref="IEventLog.DeleteStreamAsync"/>); its task completes once committed.</summary>
    public ValueTask<AppendResult> DeleteStreamAsync(string streamId, long expectedVersion)
    {
        var request = _log.NewDeleteRequest(streamId, expectedVersion);
        _requests.Add(request);
        return request.AsAppendTask();
    }

    /// <summary>
    /// Hands every write added to the log's writer, in order, and empties the batch. Never throws: what the log cannot
    /// take fails in its own task. With <see cref="WriteAheadLogOptions.CommitOnCallingThread"/> the writes are complete
    /// when this returns, unless another thread held the writer (it commits them then).
    /// </summary>
    public void Commit()
    {
        if (_requests.Count == 0)
        {
            return;
        }

        try
        {
            _log.EnqueueAll(_requests);
        }
        finally
        {
            _requests.Clear();
        }
    }
}
