namespace Actors.Wal.Writing;

/// <summary>What a <see cref="LogRequest"/> asks the writer to do.</summary>
internal enum RequestKind : byte
{
    /// <summary>Append events to a stream.</summary>
    Append,

    /// <summary>Write a checkpoint.</summary>
    Checkpoint,

    /// <summary>Write a tombstone.</summary>
    Delete,

    /// <summary>Copy a stream's live records forward (space management).</summary>
    Relocate,

    /// <summary>Make everything written so far durable.</summary>
    Flush,

    /// <summary>Complete once every earlier request is applied (the pipeline is drained up to it).</summary>
    Barrier,

    /// <summary>Seal the active segment when it is the one named (compaction of records an erase left in it).</summary>
    Seal,
}

/// <summary>
/// A unit of work for the writer, queued by any thread through <see cref="HandOffQueue{T}"/> and completed by the
/// committer (or failed by whichever stage meets an error).
/// </summary>
/// <remarks>
/// Ownership: the enqueuing thread fills the request and hands it over; from then on only the writer thread (while
/// framing), then the committer thread (while applying and completing) touch its pipeline fields. Completion is
/// once-only (<see cref="TryComplete"/>), so a cancellation, a failure and a result can race safely.
/// </remarks>
internal abstract class LogRequest : IHandOffItem<LogRequest>
{
    /// <summary>Queued and not yet taken by the writer.</summary>
    protected const int StateQueued = 0;

    /// <summary>Taken by the writer (being framed).</summary>
    protected const int StateTaken = 1;

    /// <summary>Framed: the caller's buffers are no longer read.</summary>
    protected const int StateFramed = 2;

    /// <summary>Cancelled before the writer took it: nothing is written.</summary>
    protected const int StateCancelled = 3;

    /// <summary>Bit: a cancellation arrived while the writer was framing.</summary>
    protected const int CancelRequestedBit = 4;

    private int _state;
    private int _completed;

    /// <summary>The next request in the queue (owned by <see cref="HandOffQueue{T}"/>).</summary>
    public LogRequest? Next { get; set; }

    /// <summary>What the request asks.</summary>
    public abstract RequestKind Kind { get; }

    /// <inheritdoc />
    public virtual bool IsCloseMarker => false;

    /// <summary>Bytes the request adds to a group commit (for batching).</summary>
    public virtual int FramedBytes => 0;

    /// <summary>True once the request was completed (result, error or cancellation).</summary>
    public bool IsCompleted => Volatile.Read(ref _completed) != 0;

    /// <summary>
    /// The writer takes the request. False when it was cancelled before: the writer skips it (nothing is written) and
    /// calls <see cref="ReleaseByPipeline"/>.
    /// </summary>
    public bool TryTake() => Interlocked.CompareExchange(ref _state, StateTaken, StateQueued) == StateQueued;

    /// <summary>
    /// The writer framed the request: the caller's buffers are no longer needed. A cancellation that arrived while it
    /// was framed completes the caller now (the record is written anyway: "may still be stored").
    /// </summary>
    public void MarkFramed()
    {
        if (Interlocked.CompareExchange(ref _state, StateFramed, StateTaken) != StateTaken)
        {
            Volatile.Write(ref _state, StateFramed);
            CompleteCancelled();
        }
    }

    /// <summary>Completes with <paramref name="exception"/> (once; later completions are ignored).</summary>
    public void Fail(Exception exception)
    {
        if (TryComplete())
        {
            SetException(exception);
        }
    }

    /// <summary>The pipeline is done with the request (it may be recycled once the caller is done too).</summary>
    public virtual void ReleaseByPipeline()
    {
    }

    /// <summary>Claims the right to complete the request; true for the first caller only.</summary>
    protected bool TryComplete() => Interlocked.Exchange(ref _completed, 1) == 0;

    /// <summary>Clears the completion state for reuse (pooled requests).</summary>
    protected void ResetState()
    {
        _state = StateQueued;
        _completed = 0;
        Next = null;
    }

    /// <summary>Sets the caller's exception (called once, after <see cref="TryComplete"/>).</summary>
    protected abstract void SetException(Exception exception);

    /// <summary>
    /// The caller's token was cancelled: a request not yet taken is withdrawn (nothing will be written); one already
    /// framed completes with the cancellation now; one being framed completes once framing ends.
    /// </summary>
    protected void OnCancellation()
    {
        while (true)
        {
            int state = Volatile.Read(ref _state);
            if (state == StateQueued)
            {
                if (Interlocked.CompareExchange(ref _state, StateCancelled, StateQueued) == StateQueued)
                {
                    CompleteCancelled();
                    return;
                }
            }
            else if (state == StateTaken)
            {
                if (Interlocked.CompareExchange(ref _state, StateTaken | CancelRequestedBit, StateTaken) == StateTaken)
                {
                    return;
                }
            }
            else
            {
                if ((state & ~CancelRequestedBit) == StateFramed)
                {
                    CompleteCancelled();
                }

                return;
            }
        }
    }

    /// <summary>The token the caller passed (for the <see cref="OperationCanceledException"/>).</summary>
    protected virtual CancellationToken CallerToken => CancellationToken.None;

    private void CompleteCancelled()
    {
        if (TryComplete())
        {
            SetException(new OperationCanceledException(CallerToken));
        }
    }
}

/// <summary>A request whose caller awaits a <see cref="Task{TResult}"/> (not pooled: flushes, barriers, relocations).</summary>
internal abstract class AwaitedRequest<T> : LogRequest
{
    private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The caller's task.</summary>
    public Task<T> Task => _completion.Task;

    /// <summary>Completes with a result (once).</summary>
    public void Complete(T result)
    {
        if (TryComplete())
        {
            _completion.SetResult(result);
        }
    }

    /// <inheritdoc />
    protected override void SetException(Exception exception) => _completion.SetException(exception);
}

/// <summary>Make everything written so far durable (<c>FlushAsync</c>, the <see cref="SyncPolicy.Interval"/> timer, snapshots).</summary>
internal sealed class FlushRequest : AwaitedRequest<bool>
{
    /// <inheritdoc />
    public override RequestKind Kind => RequestKind.Flush;
}

/// <summary>Completes when every request queued before it has been applied (a drained pipeline), without writing.</summary>
internal sealed class BarrierRequest : AwaitedRequest<bool>
{
    /// <inheritdoc />
    public override RequestKind Kind => RequestKind.Barrier;
}

/// <summary>
/// Seals the active segment if it is still <see cref="SegmentId"/> and holds records (the writer rotates, as when the
/// segment is full); completes once the seal is durable. <see cref="WriteAheadLog.CompactAsync"/> sends it when an erase
/// left records in the active segment, which no pass compacts while it is active.
/// </summary>
internal sealed class SealRequest(uint segmentId) : AwaitedRequest<bool>
{
    /// <inheritdoc />
    public override RequestKind Kind => RequestKind.Seal;

    /// <summary>The segment to seal.</summary>
    public uint SegmentId { get; } = segmentId;
}

/// <summary>The marker <see cref="HandOffQueue{T}"/> pushes when the request queue closes.</summary>
internal sealed class CloseMarkerRequest : LogRequest
{
    /// <inheritdoc />
    public override RequestKind Kind => RequestKind.Barrier;

    /// <inheritdoc />
    public override bool IsCloseMarker => true;

    /// <inheritdoc />
    protected override void SetException(Exception exception)
    {
    }
}
