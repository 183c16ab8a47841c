using System.Threading.Tasks.Sources;
using Actors.Wal;

namespace Actors.Replication.Wal.EventLog;

/// <summary>
/// The outcome of one write proposed through a <see cref="ReplicatedEventLog"/>, as the <see cref="CommittedEntryApplier"/>
/// delivers it: the local log's result, its refusal or the typed failure. Pooled (<see cref="ProposedWritePool"/>) and
/// awaited through <see cref="IValueTaskSource{TResult}"/>, so a write needs no task, no completion source and no boxed
/// append result.
/// </summary>
/// <remarks>
/// <para>Ownership: the proposer rents it and registers it with the applier (<see cref="CommittedEntryApplier.Expect"/>);
/// whoever removes the registration (the applier, a failed entry, a stopping or failed applier) completes it, exactly once,
/// and touches it no more. Its one awaiter reads the outcome (<c>GetResult</c>), which returns it to the pool: it is reused
/// only after that read, never while anyone awaits it. A result nobody reads leaves it to the garbage collector.</para>
/// <para>Continuations run asynchronously: completing it never runs the proposer's code on the applier's thread.</para>
/// </remarks>
internal sealed class ProposedWrite : IValueTaskSource<AppendResult>, IValueTaskSource<object>
{
    private readonly ProposedWritePool _pool;
    private ManualResetValueTaskSourceCore<AppendResult> _core = new() { RunContinuationsAsynchronously = true };
    private object? _result;
    private bool _hasResult;

    /// <summary>Creates a completion that returns to <paramref name="pool"/> once its outcome was read.</summary>
    public ProposedWrite(ProposedWritePool pool)
    {
        _pool = pool;
    }

    /// <summary>The awaitable of an append's outcome (await it once).</summary>
    public ValueTask<AppendResult> AsAppendTask() => new(this, _core.Version);

    /// <summary>The awaitable of any write's outcome, an append's boxed (await it once).</summary>
    public ValueTask<object> AsResultTask() => new(this, _core.Version);

    /// <summary>Completes with an applied append's result (once).</summary>
    public void SetAppended(AppendResult result) => _core.SetResult(result);

    /// <summary>Completes with the result of an applied write other than an append (once).</summary>
    public void SetResult(object result)
    {
        _result = result;
        _hasResult = true;
        _core.SetResult(default);
    }

    /// <summary>Completes with a refusal or failure (once).</summary>
    public void SetException(Exception exception) => _core.SetException(exception);

    /// <inheritdoc />
    public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

    /// <inheritdoc />
    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags)
        => _core.OnCompleted(continuation, state, token, flags);

    /// <inheritdoc />
    AppendResult IValueTaskSource<AppendResult>.GetResult(short token)
    {
        if (_core.GetStatus(token) == ValueTaskSourceStatus.Pending)
        {
            // Read before completion (a misuse): the core throws, and the completion stays with its completer.
            return _core.GetResult(token);
        }

        try
        {
            return _core.GetResult(token);
        }
        finally
        {
            Recycle();
        }
    }

    /// <inheritdoc />
    object IValueTaskSource<object>.GetResult(short token)
    {
        if (_core.GetStatus(token) == ValueTaskSourceStatus.Pending)
        {
            return _core.GetResult(token);
        }

        try
        {
            var appended = _core.GetResult(token);
            return _hasResult ? _result! : appended;
        }
        finally
        {
            Recycle();
        }
    }

    private void Recycle()
    {
        _result = null;
        _hasResult = false;
        _core.Reset();
        _pool.Return(this);
    }
}
