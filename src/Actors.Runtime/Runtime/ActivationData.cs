using Actors.Runtime.Concurrency;
using Actors.Storage;

namespace Actors.Runtime;

/// <summary>
/// One activation of a grain in this silo: its scheduler (it is one), its request queue, its lifecycle state and its
/// collection bookkeeping. At most one activation per <see cref="GrainId"/> is in the catalog at a time.
/// </summary>
/// <remarks>
/// <para>Request path: a <see cref="GrainCall"/> either starts at once (the activation is valid, nothing waits ahead of
/// it, and the class's <see cref="RequestAdmission"/> admits it next to the requests running) or waits in the
/// activation's FIFO, linked through the calls themselves. A request runs as a task on this scheduler until its
/// grain method's task completes (across awaits); then the queue head is offered to the admission rule again. All code
/// of the grain runs on this scheduler, so no two pieces of it run in parallel.</para>
/// <para>Memory: the fields below are what every activation carries (no lock object, no queue object, no per-call
/// references when idle); deactivation requests, keep-alive, lifecycle participants and the departure signal live in
/// <see cref="ActivationExtras"/>, created on first use.</para>
/// <para>The gate (<see cref="ActivationTaskScheduler.Gate"/>) guards the state, the counts, the queue and the extras'
/// deactivation fields. Work is started on the scheduler after the gate is released, never under it.</para>
/// </remarks>
internal sealed partial class ActivationData : ActivationTaskScheduler, IGrainContext, IGrainLifecycle
{
    private volatile ActivationState _state;
    private bool _departed;
    private int _running;
    private int _reservations; // stateless worker: calls its pool chose it for that it has not accepted yet
    private int _queued;
    private int _queuedBypassers;
    private GrainCall? _queueHead;
    private GrainCall? _queueTail;
    private IGrainBase? _grain;
    private long _idleSinceTicks;
    private ActivationExtras? _extras;

    /// <remarks>
    /// The key string is copied here, so it is allocated directly after this object and stays next to it (a compacting
    /// collection keeps the order of survivors): the catalog's lookup compares it on every call, and with a million
    /// activations the caller's string, allocated elsewhere earlier, cost one more cache and TLB miss per call (issue 18
    /// profile, docs/architecture.md). The type name is one shared string per class and is compared by reference.
    /// </remarks>
    public ActivationData(GrainId grainId, GrainClassInfo classInfo, GrainRuntime runtime)
    {
        GrainId = new GrainId(grainId.Type, new string(grainId.Key.AsSpan()));
        ClassInfo = classInfo;
        Runtime = runtime;
    }

    /// <inheritdoc />
    public GrainId GrainId { get; }

    public GrainClassInfo ClassInfo { get; }

    public GrainRuntime Runtime { get; }

    /// <inheritdoc />
    public object? GrainInstance => _grain;

    /// <inheritdoc />
    public IServiceProvider ActivationServices => Runtime.Services;

    /// <inheritdoc />
    public IGrainFactory GrainFactory => Runtime.GrainFactory;

    /// <inheritdoc />
    /// <remarks>The activation itself, so that an activation without participants allocates no lifecycle.</remarks>
    public IGrainLifecycle ObservableLifecycle => this;

    /// <summary>Completes when the activation has left the catalog (deactivated, failed to activate, or killed).</summary>
    public Task Deactivated
    {
        get
        {
            using (InterleavingPoints.Lock(Gate))
            {
                return _departed ? Task.CompletedTask : (Extras.Departed ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
            }
        }
    }

    /// <summary>Requests queued and not yet started.</summary>
    public int QueueLength => Volatile.Read(ref _queued);

    /// <summary>True while the activation serves requests (read without the gate: a hint that may be stale).</summary>
    public bool IsValid => _state == ActivationState.Valid;

    internal ActivationState State => _state;

    // Collection bookkeeping (owned by ActivationCollector under its lock).
    internal long CollectorTicket;
    internal ActivationData? CollectorPrevious;
    internal ActivationData? CollectorNext;

    /// <summary>The cold fields; call under the gate or from the activation's own turns.</summary>
    private ActivationExtras Extras => _extras ??= new ActivationExtras();

    /// <summary>Registers a persistent state to load before OnActivateAsync (called from the grain's constructor).</summary>
    public void AddStateLoader(IPersistentStateLoader loader)
    {
        using (InterleavingPoints.Lock(Gate))
        {
            (Extras.StateLoaders ??= []).Add(loader);
        }
    }

    /// <inheritdoc />
    void IGrainLifecycle.Subscribe(string observerName, int stage, Func<CancellationToken, Task> onStart, Func<CancellationToken, Task>? onStop)
    {
        ActivationLifecycle lifecycle;
        using (InterleavingPoints.Lock(Gate))
        {
            lifecycle = Extras.Lifecycle ??= new ActivationLifecycle();
        }

        lifecycle.Subscribe(observerName, stage, onStart, onStop);
    }

    /// <summary>Running requests, queued requests and state, read together (for the stuck-grain detector).</summary>
    public (int Running, int Queued, ActivationState State) Snapshot()
    {
        using (InterleavingPoints.Lock(Gate))
        {
            return (_running, _queued, _state);
        }
    }

    /// <summary>
    /// Accepts a call: starts it at once or queues it. False only when the activation is gone (the caller then uses a
    /// new one). A call queued at a deactivating or invalidated activation waits there (the response timeout still
    /// covers it) and is handed to the next activation when this one has left the catalog.
    /// </summary>
    public bool TryAccept(GrainCall call)
    {
        bool activate = false;
        bool start = false;
        using (InterleavingPoints.Lock(Gate))
        {
            if (_state == ActivationState.Invalid)
            {
                return false;
            }

            if (_state == ActivationState.Created && Runtime.IsKilled)
            {
                // Created after the kill swept the catalog: never activate (the dispatcher fails the call).
                _state = ActivationState.Invalid;
                _departed = true;
                return false;
            }

            call.Activation = this;
            if (_state == ActivationState.Valid && (_queueHead is null || call.MayBypassQueue) && _extras?.StopServing != true && ClassInfo.Admission.MayStart(call, this))
            {
                StartedLocked(call);
                start = true;
            }
            else
            {
                AppendLocked(call);
                if (_state == ActivationState.Created)
                {
                    _state = ActivationState.Activating;
                    activate = true;
                }
            }
        }

        if (activate)
        {
            Runtime.Instruments.ActivationStarted(ClassInfo.TypeName);
            _ = Task.Factory.StartNew(static a => ((ActivationData)a!).ActivateAsync(), this, CancellationToken.None, TaskCreationOptions.DenyChildAttach, this).Unwrap();
        }

        if (start)
        {
            StartRequest(call);
        }

        return true;
    }

    /// <summary>Starts the call's request on this scheduler (the call is the task: see <see cref="ActivationTurnTask"/>).</summary>
    private void StartRequest(GrainCall call) => call.Start(this);

    /// <summary>Starts the calls of a chain taken by <see cref="TakeAdmittedLocked"/>, outside the gate.</summary>
    private void StartChain(GrainCall? chain)
    {
        while (chain is not null)
        {
            GrainCall next = chain.NextQueued!;
            chain.NextQueued = null;
            StartRequest(chain);
            chain = next;
        }
    }

    private void AppendLocked(GrainCall call)
    {
        if (_queueTail is null)
        {
            _queueHead = call;
        }
        else
        {
            _queueTail.NextQueued = call;
        }

        _queueTail = call;
        _queued++;
        if (call.MayBypassQueue)
        {
            _queuedBypassers++;
        }

        Runtime.QueuedRequests.Add(1);
    }

    /// <summary>Takes the whole queue as a chain (linked through <see cref="GrainCall.NextQueued"/>).</summary>
    private GrainCall? TakeQueueLocked()
    {
        GrainCall? chain = _queueHead;
        _queueHead = null;
        _queueTail = null;
        Runtime.QueuedRequests.Add(-_queued);
        _queued = 0;
        _queuedBypassers = 0;
        return chain;
    }

    /// <summary>
    /// Takes the queued calls the admission rule lets start now, in order, counting them as running. Plain FIFO stops at
    /// the first refused call; when queued calls may bypass it (interleaving, read-only, call-chain reentrant, or a
    /// [MayInterleave] class) the whole queue is scanned, as Orleans does, so such a call never waits behind a blocked one.
    /// </summary>
    private GrainCall? TakeAdmittedLocked()
    {
        GrainCall? first = null;
        GrainCall? last = null;
        GrainCall? previous = null;
        GrainCall? call = _queueHead;
        while (call is not null && _state == ActivationState.Valid && _extras?.StopServing != true)
        {
            GrainCall? next = call.NextQueued;
            if (!ClassInfo.Admission.MayStart(call, this))
            {
                if (_queuedBypassers == 0)
                {
                    break;
                }

                previous = call;
                call = next;
                continue;
            }

            if (previous is null)
            {
                _queueHead = next;
            }
            else
            {
                previous.NextQueued = next;
            }

            if (_queueTail == call)
            {
                _queueTail = previous;
            }

            call.NextQueued = null;
            _queued--;
            if (call.MayBypassQueue)
            {
                _queuedBypassers--;
            }

            Runtime.QueuedRequests.Add(-1);
            StartedLocked(call);
            if (last is null)
            {
                first = call;
            }
            else
            {
                last.NextQueued = call;
            }

            last = call;
            call = next;
        }

        return first;
    }

    /// <summary>
    /// Runs <paramref name="call"/>'s request (on this scheduler, as the call's task). A grain method that completes
    /// synchronously finishes the call here without an async state machine; one that awaits continues in
    /// <see cref="CompleteRequestAsync"/>.
    /// </summary>
    internal void RunRequest(GrainCall call)
    {
        // The activation's bookkeeping (idle since, deactivate-on-idle, next request) is updated before the caller
        // sees the outcome, so a caller that observed its result also observes an idle activation.
        if (!call.TryStart(Runtime.NowTicks))
        {
            OnRequestCompleted(call);
            return;
        }

        // The turn sees exactly its caller's request context (a timer tick: none), never what the flow that queued
        // it happened to carry.
        RequestContext.Import(call.Request.RequestContext);
        IIncomingGrainCallFilter[] filters = Runtime.Filters.Incoming;
        if (filters.Length > 0 || ClassInfo.IsIncomingFilter || call.LocalTurn is not null)
        {
            _ = RunFilteredOrLocalTurnAsync(call, filters);
            return;
        }

        ValueTask<object?> pending;
        try
        {
            pending = ClassInfo.GetInvoker(call.Request.Method).Invoke(InvocationTarget(call.Request.Method), call.Arguments);
        }
        catch (Exception ex)
        {
            Settle(call, null, ex);
            return;
        }

        if (!pending.IsCompleted)
        {
            _ = CompleteRequestAsync(call, pending);
            return;
        }

        object? result = null;
        Exception? error = null;
        try
        {
            result = Runtime.Copier.CopyResult(pending.Result, call.Request.Method);
        }
        catch (Exception ex)
        {
            error = ex;
        }

        Settle(call, result, error);
    }

    /// <summary>The rest of a request whose grain method awaited.</summary>
    private async Task CompleteRequestAsync(GrainCall call, ValueTask<object?> pending)
    {
        object? result = null;
        Exception? error = null;
        try
        {
            result = Runtime.Copier.CopyResult(await pending, call.Request.Method);
        }
        catch (Exception ex)
        {
            error = ex;
        }

        Settle(call, result, error);
    }

    /// <summary>A request through incoming call filters, or the runtime's own turn (a timer tick).</summary>
    private async Task RunFilteredOrLocalTurnAsync(GrainCall call, IIncomingGrainCallFilter[] filters)
    {
        object? result = null;
        Exception? error = null;
        try
        {
            if (filters.Length > 0 || ClassInfo.IsIncomingFilter)
            {
                var context = new IncomingCallContext(call, this, _grain!, filters);
                await context.Invoke();
                result = Runtime.Copier.CopyResult(context.Result, call.Request.Method);
            }
            else
            {
                await call.LocalTurn!.RunAsync();
            }
        }
        catch (Exception ex)
        {
            error = ex;
        }

        Settle(call, result, error);
    }

    /// <summary>A started request ended: the activation's bookkeeping first, then the caller's outcome.</summary>
    private void Settle(GrainCall call, object? result, Exception? error)
    {
        OnRequestCompleted(call);
        call.Finish(result, error);
    }

    private void OnRequestCompleted(GrainCall call)
    {
        GrainCall? next;
        DeactivationReason? deactivate = null;
        using (InterleavingPoints.Lock(Gate))
        {
            FinishedLocked(call);
            next = TakeAdmittedLocked();
            if (call.KeepAlive)
            {
                _idleSinceTicks = Runtime.NowTicks;
            }

            if (_running == 0 && (_queueHead is null || _extras?.StopServing == true))
            {
                if (_extras?.DeactivateWhenIdle is { } reason && _state == ActivationState.Valid)
                {
                    _state = ActivationState.Deactivating;
                    deactivate = reason;
                }
            }
        }

        StartChain(next);
        if (deactivate is { } r)
        {
            StartDeactivation(r);
        }
    }
}
