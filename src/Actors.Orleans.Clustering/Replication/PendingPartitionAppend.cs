using System.Runtime.CompilerServices;
using System.Threading.Tasks.Sources;
using Actors.Replication;
using Actors.Wal;

namespace Actors.Orleans.Clustering.Replication;

/// <summary>
/// An append through a <see cref="ReplicatedPartitionLog"/> while its replicated write is pending: completes with the
/// write's result, with the providers' typed error for a protocol error (<see cref="ReplicatedPartitionLog.Translate"/>,
/// which also reports it), or with any other error as it is. Pooled (<see cref="PendingPartitionAppendPool"/>) and awaited
/// through <see cref="IValueTaskSource{TResult}"/>, so an append needs no async state machine here.
/// </summary>
/// <remarks>
/// <para>Ownership: <see cref="Start"/> hands it the write; it awaits the write once and completes once; its one awaiter
/// reads the outcome (<c>GetResult</c>), which returns it to the pool: it is reused only after that read, never while
/// anyone awaits it. An outcome nobody reads leaves it to the garbage collector.</para>
/// <para>Its completion runs the awaiter's continuation on the thread that completed the write (as the async method it
/// replaces did); the replicated log completes its writes on the thread pool, never on its applier's or host's thread.</para>
/// </remarks>
internal sealed class PendingPartitionAppend : IValueTaskSource<AppendResult>
{
    private readonly PendingPartitionAppendPool _pool;
    private readonly Action _onWriteCompleted;
    private ManualResetValueTaskSourceCore<AppendResult> _core;
    private ConfiguredValueTaskAwaitable<AppendResult>.ConfiguredValueTaskAwaiter _write;
    private ReplicatedPartitionLog? _log;
    private string? _streamId;

    /// <summary>Creates a pending append that returns to <paramref name="pool"/> once its outcome was read.</summary>
    public PendingPartitionAppend(PendingPartitionAppendPool pool)
    {
        _pool = pool;
        _onWriteCompleted = OnWriteCompleted;
    }

    /// <summary>Waits for <paramref name="write"/> (pending; awaited here, once) of stream <paramref name="streamId"/> through <paramref name="log"/>.</summary>
    /// <returns>The append's awaitable (await it once).</returns>
    public ValueTask<AppendResult> Start(ReplicatedPartitionLog log, string streamId, ValueTask<AppendResult> write)
    {
        _log = log;
        _streamId = streamId;
        _write = write.ConfigureAwait(false).GetAwaiter();
        var awaitable = new ValueTask<AppendResult>(this, _core.Version);
        // The caller's execution context flows to the completion, as it did to the async method this replaces: the report
        // of a failure (ReplicatedPartitionLog.Translate) runs in it.
        _write.OnCompleted(_onWriteCompleted);
        return awaitable;
    }

    /// <inheritdoc />
    public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

    /// <inheritdoc />
    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags)
        => _core.OnCompleted(continuation, state, token, flags);

    /// <inheritdoc />
    public AppendResult GetResult(short token)
    {
        if (_core.GetStatus(token) == ValueTaskSourceStatus.Pending)
        {
            // Read before completion (a misuse): the core throws, and the append stays with its write.
            return _core.GetResult(token);
        }

        try
        {
            return _core.GetResult(token);
        }
        finally
        {
            _core.Reset();
            _pool.Return(this);
        }
    }

    private void OnWriteCompleted()
    {
        var write = _write;
        var log = _log!;
        var streamId = _streamId!;
        _write = default;
        _log = null;
        _streamId = null;
        AppendResult result = default;
        Exception? error = null;
        try
        {
            result = write.GetResult();
        }
        catch (ReplicationException exception)
        {
            error = log.Translate(exception, "Appending", streamId);
        }
        catch (Exception exception)
        {
            error = exception;
        }

        if (error is null)
        {
            _core.SetResult(result);
        }
        else
        {
            _core.SetException(error);
        }
    }
}
