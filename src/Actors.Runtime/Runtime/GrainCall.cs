using System.Diagnostics;
using System.Threading.Tasks.Sources;
using Actors.Invocation;
using Actors.Runtime.Concurrency;

namespace Actors.Runtime;

/// <summary>
/// One grain call inside the silo, from dispatch to the caller's result: the request and its copied arguments, the
/// activation it runs at, its times (dispatched, started, deadline), and the caller's completion, which is the
/// <see cref="IValueTaskSource{TResult}"/> behind the caller's <see cref="ValueTask{TResult}"/>.
/// </summary>
/// <remarks>
/// <para>Short-lived by design: everything that changes per call is written here, not into long-lived activation
/// structures. It is the node of the activation's pending FIFO (<see cref="NextQueued"/>) and of the outstanding-call
/// tracker (the <c>Tracker*</c> fields, owned by <see cref="CallTracker"/> under its stripe lock).</para>
/// <para>Size: what every call needs is a field here; what few calls use (a call-chain reentrancy id, a timer turn, a
/// cancellation registration, a [MayInterleave] view, reroutes) lives in <see cref="GrainCallRareFields"/>, created
/// only for the calls that use it, so a plain call allocates about 50 bytes less. The call is also the task that runs its
/// request on the activation's scheduler (<see cref="ActivationTurnTask"/>), so starting a request allocates nothing
/// more; the deadline is computed from the dispatch time, not stored.</para>
/// <para>Two independent hand-offs, each settled by one compare-exchange: <b>execution</b> (queued, then either
/// running and finished, or abandoned before it started: a timed-out or cancelled call that has not started never
/// runs) and <b>the caller's completion</b> (result, exception, timeout or cancellation: exactly one wins). A call that
/// timed out while running keeps running (as in Orleans) and stays tracked until it finishes, so a turn that never
/// ends is still seen by the stuck-grain detector. The caller's value task may be awaited once.</para>
/// </remarks>
internal sealed class GrainCall : ActivationTurnTask, IValueTaskSource<object?>
{
    private const int Queued = 0;
    private const int Running = 1;
    private const int Finished = 2;
    private const int Abandoned = 3;

    private readonly long _startTimestamp = Stopwatch.GetTimestamp();
    private ManualResetValueTaskSourceCore<object?> _completion = new() { RunContinuationsAsynchronously = true };
    private int _execution;
    private int _callerDone;
    private GrainCallRareFields? _rare;

    /// <summary>A local turn of <paramref name="activation"/> (a timer tick), presented as a call of <paramref name="method"/>: no arguments, no caller, not tracked for a deadline.</summary>
    public GrainCall(ILocalTurn turn, GrainMethod method, ActivationData activation)
        : this(activation.Runtime, new GrainCallRequest(activation.GrainId, method, []), [], activation.GrainId, activation.ClassInfo, activation.Runtime.NowTicks)
    {
        _rare = new GrainCallRareFields { LocalTurn = turn };
        AlwaysInterleave = turn.Interleave;
        MayBypassQueue = turn.Interleave;
    }

    public GrainCall(GrainRuntime runtime, GrainCallRequest request, object?[] arguments, GrainId target, GrainClassInfo classInfo, long dispatchedTicks)
    {
        Runtime = runtime;
        Request = request;
        Arguments = arguments;
        Target = target;
        ClassInfo = classInfo;
        DispatchedTicks = dispatchedTicks;
        AlwaysInterleave = classInfo.IsAlwaysInterleave(request.Method);
        IsReadOnly = request.Method.IsReadOnly;
        if (request.RequestContext?.GetValueOrDefault(RequestContext.CallChainReentrancyKey) is Guid id && id != Guid.Empty)
        {
            _rare = new GrainCallRareFields { ReentrancyId = id };
        }

        MayBypassQueue = AlwaysInterleave || IsReadOnly || _rare is not null || classInfo.MayInterleave is not null;
    }

    public GrainRuntime Runtime { get; }

    public GrainCallRequest Request { get; }

    /// <summary>The arguments after the copy rule.</summary>
    public object?[] Arguments { get; }

    /// <summary>The canonical grain id (the request's may carry a client's provisional type name).</summary>
    public GrainId Target { get; }

    public GrainClassInfo ClassInfo { get; }

    /// <summary>The runtime's own turn (a timer tick), or null for a grain call.</summary>
    public ILocalTurn? LocalTurn => _rare?.LocalTurn;

    /// <summary>Whether the call may start while other requests of a non-reentrant activation are running (and does not hold back others).</summary>
    public bool AlwaysInterleave { get; }

    /// <summary>The method is read-only: it may interleave with other read-only requests.</summary>
    public bool IsReadOnly { get; }

    /// <summary>The call chain's reentrancy id the caller sent (<see cref="Guid.Empty"/>: none).</summary>
    public Guid ReentrancyId => _rare?.ReentrancyId ?? Guid.Empty;

    /// <summary>Whether a rule other than plain FIFO could let the call start while earlier queued calls wait.</summary>
    public bool MayBypassQueue { get; }

    /// <summary>The call as a <c>[MayInterleave]</c> predicate sees it.</summary>
    public IInvokable Invokable
    {
        get
        {
            GrainCallRareFields rare = Rare;
            return rare.Invokable ??= new RequestInvokable(Request.Method, Arguments);
        }
    }

    /// <summary>Whether completing the call counts as activity for idle collection (every call does; a timer tick only with KeepAlive).</summary>
    public bool KeepAlive => LocalTurn?.KeepAlive ?? true;

    /// <summary>When the call was dispatched (UTC ticks of the runtime's time provider).</summary>
    public long DispatchedTicks { get; }

    /// <summary>When the caller stops waiting (UTC ticks): the response timeout fails the call at this time.</summary>
    public long DeadlineTicks => DispatchedTicks + Runtime.OutstandingCalls.ResponseTimeoutTicks;

    /// <summary>When the request started running (UTC ticks), or 0.</summary>
    public long StartedTicks { get; private set; }

    /// <summary>The activation the call was queued at.</summary>
    public ActivationData? Activation { get; set; }

    /// <summary>How many times the call was routed again after its activation went away (see <c>LocalGrainCallInvoker.RedispatchAsync</c>).</summary>
    public int Reroutes
    {
        get => _rare?.Reroutes ?? 0;
        set => Rare.Reroutes = value;
    }

    /// <summary>The next call in the activation's pending FIFO (owned by the activation, under its gate).</summary>
    public GrainCall? NextQueued { get; set; }

    /// <summary>What the stuck-grain detector currently reports for this call (owned by <see cref="OutstandingCalls"/>).</summary>
    public StuckKind Stuck { get; set; }

    // Tracker links (owned by CallTracker under the lock of stripe TrackerStripe).
    internal GrainCall? TrackerPrevious;
    internal GrainCall? TrackerNext;
    internal long TrackerDueTicks;
    internal int TrackerSlot = -1;
    internal int TrackerStripe = -1;

    public bool IsRunning => Volatile.Read(ref _execution) == Running;

    /// <summary>True once the caller has its outcome.</summary>
    public bool IsCallerDone => Volatile.Read(ref _callerDone) == 1;

    /// <summary>True once nothing more happens to the call: the caller has its outcome and the request is not running.</summary>
    public bool IsSettled => IsCallerDone && !IsRunning;

    /// <summary>The caller's view of the outcome; await it once.</summary>
    public ValueTask<object?> AsValueTask() => new(this, _completion.Version);

    /// <summary>Marks the call running; false when the caller already gave up (the request must be skipped).</summary>
    public bool TryStart(long nowTicks)
    {
        InterleavingPoints.Point("GrainCall.TryStart");
        if (Interlocked.CompareExchange(ref _execution, Running, Queued) != Queued)
        {
            return false;
        }

        StartedTicks = nowTicks;
        return true;
    }

    /// <summary>The request ran to its end: records the outcome for the caller (unless it already gave up) and stops tracking the call.</summary>
    public void Finish(object? result, Exception? error)
    {
        InterleavingPoints.Point("GrainCall.Finish");
        Volatile.Write(ref _execution, Finished);
        if (!TryComplete(result, error))
        {
            // The caller had already timed out or cancelled; the turn has now ended, so the call is settled.
            Runtime.OutstandingCalls.OnSettled(this);
        }
    }

    /// <summary>Fails the call for the caller; a call that has not started is abandoned and never runs.</summary>
    /// <returns>True when this failure reached the caller (it had no outcome yet).</returns>
    public bool Fail(Exception error)
    {
        InterleavingPoints.Point("GrainCall.Fail");
        Interlocked.CompareExchange(ref _execution, Abandoned, Queued);
        return TryComplete(null, error);
    }

    /// <summary>Cancels the call when <paramref name="cancellationToken"/> is cancelled (before it started, it is skipped).</summary>
    public void CancelWith(CancellationToken cancellationToken)
    {
        if (cancellationToken.CanBeCanceled)
        {
            Rare.Cancellation = cancellationToken.UnsafeRegister(static (state, token) => ((GrainCall)state!).Fail(new OperationCanceledException(token)), this);
        }
    }

    /// <inheritdoc />
    public object? GetResult(short token) => _completion.GetResult(token);

    /// <inheritdoc />
    public ValueTaskSourceStatus GetStatus(short token) => _completion.GetStatus(token);

    /// <inheritdoc />
    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags)
        => _completion.OnCompleted(continuation, state, token, flags);

    /// <inheritdoc />
    protected override void RunTurn() => Activation!.RunRequest(this);

    /// <inheritdoc />
    public override string ToString() => $"{Request.Method.InterfaceType.Name}.{Request.Method.Method.Name} to {Target}";

    /// <summary>The rare fields, created on first use (by whichever thread gets there first).</summary>
    private GrainCallRareFields Rare
        => Volatile.Read(ref _rare) ?? Interlocked.CompareExchange(ref _rare, new GrainCallRareFields(), null) ?? _rare!;

    private bool TryComplete(object? result, Exception? error)
    {
        InterleavingPoints.Point("GrainCall.TryComplete");
        if (Interlocked.CompareExchange(ref _callerDone, 1, 0) != 0)
        {
            return false;
        }

        _rare?.Cancellation.Unregister();
        if (LocalTurn is null)
        {
            Runtime.Instruments.CallCompleted(Stopwatch.GetElapsedTime(_startTimestamp), failed: error is not null);
        }

        if (!IsRunning)
        {
            Runtime.OutstandingCalls.OnSettled(this);
        }

        if (error is null)
        {
            _completion.SetResult(result);
        }
        else
        {
            _completion.SetException(error);
        }

        return true;
    }
}
