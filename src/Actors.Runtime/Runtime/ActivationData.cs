using Actors.Storage;

namespace Actors.Runtime;

/// <summary>
/// One activation of a grain in this silo: its request queue, its single-threaded scheduler, its lifecycle state and
/// its collection bookkeeping. At most one activation per <see cref="GrainId"/> is in the catalog at a time.
/// </summary>
/// <remarks>
/// Request rule: a non-reentrant activation starts a queued request only when no request is running (a request runs
/// until its task completes, across awaits); a <see cref="ReentrantAttribute"/> activation starts every request at
/// once. Either way, all code runs on <see cref="Scheduler"/>, so no two pieces of a grain run in parallel.
/// The lock protects the queue and state; work is started on the scheduler, never inline under the lock.
/// </remarks>
internal sealed partial class ActivationData : IGrainContext, IGrainLifecycle
{
    private static readonly Action<object?> RunRequestAction = static state =>
    {
        var work = (GrainWorkItem)state!;
        _ = work.Activation!.RunRequestAsync(work);
    };

    private readonly object _lock = new();
    private readonly Queue<GrainWorkItem> _pending = new();
    private readonly List<GrainWorkItem> _runningItems = [];
    private readonly TaskCompletionSource _deactivated = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private List<IPersistentStateLoader>? _stateLoaders;
    private ActivationLifecycle? _lifecycle;
    private ActivationState _state;
    private int _running;
    private Grain? _grain;
    private DateTimeOffset _idleSince;
    private DateTimeOffset _keepAliveUntil = DateTimeOffset.MinValue;
    private DeactivationReason? _deactivateWhenIdle;
    private bool _stopServing;

    public ActivationData(GrainId grainId, GrainClassInfo classInfo, GrainRuntime runtime)
    {
        GrainId = grainId;
        ClassInfo = classInfo;
        Runtime = runtime;
        _idleSince = runtime.TimeProvider.GetUtcNow();
    }

    /// <inheritdoc />
    public GrainId GrainId { get; }

    /// <inheritdoc />
    public object? GrainInstance => _grain;

    /// <inheritdoc />
    public IServiceProvider ActivationServices => Runtime.Services;

    /// <inheritdoc />
    public IGrainFactory GrainFactory => Runtime.GrainFactory;

    /// <inheritdoc />
    /// <remarks>The activation itself, so that an activation without participants allocates no lifecycle.</remarks>
    public IGrainLifecycle ObservableLifecycle => this;

    public GrainClassInfo ClassInfo { get; }

    public GrainRuntime Runtime { get; }

    public ActivationTaskScheduler Scheduler { get; } = new();

    /// <summary>Completes when the activation has left the catalog (deactivated, failed to activate, or killed).</summary>
    public Task Deactivated => _deactivated.Task;

    /// <summary>Requests queued and not yet started.</summary>
    public int QueueLength => _pending.Count;

    internal ActivationState State
    {
        get
        {
            lock (_lock)
            {
                return _state;
            }
        }
    }

    /// <summary>Registers a persistent state to load before OnActivateAsync (called from the grain's constructor).</summary>
    public void AddStateLoader(IPersistentStateLoader loader) => (_stateLoaders ??= []).Add(loader);

    /// <inheritdoc />
    void IGrainLifecycle.Subscribe(string observerName, int stage, Func<CancellationToken, Task> onStart, Func<CancellationToken, Task>? onStop)
        => (_lifecycle ??= new ActivationLifecycle()).Subscribe(observerName, stage, onStart, onStop);

    /// <summary>
    /// Queues a request; false only when the activation is gone (the caller then uses a new one). A request queued at a
    /// deactivating or invalidated activation waits there (so the response timeout covers it) and is handed to the
    /// next activation when this one has left the catalog.
    /// </summary>
    public bool TryEnqueue(GrainWorkItem work)
    {
        bool activate = false;
        lock (_lock)
        {
            if (_state == ActivationState.Invalid)
            {
                return false;
            }

            work.Activation = this;
            _pending.Enqueue(work);
            if (_state == ActivationState.Created)
            {
                _state = ActivationState.Activating;
                activate = true;
            }
            else if (_state == ActivationState.Valid)
            {
                StartReadyLocked();
            }
        }

        if (activate)
        {
            Runtime.Instruments.ActivationStarted(ClassInfo.TypeName);
            _ = Task.Factory.StartNew(static a => ((ActivationData)a!).ActivateAsync(), this, CancellationToken.None, TaskCreationOptions.DenyChildAttach, Scheduler).Unwrap();
        }

        return true;
    }

    private void StartReadyLocked()
    {
        while (_pending.Count > 0 && !_stopServing && (_running == 0 || ClassInfo.IsReentrant))
        {
            GrainWorkItem work = _pending.Dequeue();
            _running++;
            _runningItems.Add(work);
            _ = Task.Factory.StartNew(RunRequestAction, work, CancellationToken.None, TaskCreationOptions.DenyChildAttach, Scheduler);
        }
    }

    private async Task RunRequestAsync(GrainWorkItem work)
    {
        // The activation's bookkeeping (idle since, deactivate-on-idle, next request) is updated before the caller
        // sees the outcome, so a caller that observed its result also observes an idle activation.
        object? result = null;
        Exception? error = null;
        bool started = work.TryStart();
        if (started)
        {
            try
            {
                result = Runtime.Copier.Copy(await ClassInfo.GetInvoker(work.Request.Method).Invoke(_grain!, work.Arguments));
            }
            catch (Exception ex)
            {
                error = ex;
            }
        }

        OnRequestCompleted(work);
        if (error is not null)
        {
            work.Completion.TrySetException(error);
        }
        else if (started)
        {
            work.Completion.TrySetResult(result);
        }
    }

    /// <summary>Adds the running and queued requests whose deadline passed and whose caller still waits.</summary>
    public void CollectExpired(DateTimeOffset now, List<GrainWorkItem> expired)
    {
        // Unlocked pre-check: most activations are idle most of the time, and a request that arrives right after it
        // is caught by the next sweep.
        if (Volatile.Read(ref _running) == 0 && _pending.Count == 0)
        {
            return;
        }

        lock (_lock)
        {
            foreach (GrainWorkItem work in _runningItems)
            {
                if (work.Deadline <= now && !work.Completion.Task.IsCompleted)
                {
                    expired.Add(work);
                }
            }

            foreach (GrainWorkItem work in _pending)
            {
                if (work.Deadline <= now && !work.Completion.Task.IsCompleted)
                {
                    expired.Add(work);
                }
            }
        }
    }

    private void OnRequestCompleted(GrainWorkItem work)
    {
        DeactivationReason? deactivate = null;
        lock (_lock)
        {
            _running--;
            _runningItems.Remove(work);
            StartReadyLocked();
            if (_running == 0 && (_pending.Count == 0 || _stopServing))
            {
                _idleSince = Runtime.TimeProvider.GetUtcNow();
                if (_deactivateWhenIdle is { } reason && _state == ActivationState.Valid)
                {
                    _state = ActivationState.Deactivating;
                    deactivate = reason;
                }
            }
        }

        if (deactivate is { } r)
        {
            StartDeactivation(r);
        }
    }
}
