using Actors.Runtime.Concurrency;
using Actors.Storage;

namespace Actors.Runtime;

/// <content>Activation, collection, deactivation, shutdown and kill.</content>
internal sealed partial class ActivationData
{
    /// <inheritdoc />
    public void Deactivate(DeactivationReason reason)
    {
        if (reason.Exception is { } failure)
        {
            Runtime.Log.StorageFailed(failure, GrainId, reason.Description);
        }

        Invalidate(reason);
    }

    /// <inheritdoc />
    public void DeactivateOnIdle(DeactivationReason reason)
    {
        bool start = false;
        using (InterleavingPoints.Lock(Gate))
        {
            Extras.KeepAliveUntilTicks = 0;
            Extras.DeactivateWhenIdle ??= reason;
            if (_state == ActivationState.Valid && _running == 0 && _queueHead is null)
            {
                _state = ActivationState.Deactivating;
                start = true;
            }
        }

        if (start)
        {
            StartDeactivation(reason);
        }
    }

    /// <summary>
    /// Stops starting queued requests and deactivates as soon as the running ones finish; the queued ones go to the
    /// next activation. Used when the activation's state may no longer match storage.
    /// </summary>
    public void Invalidate(DeactivationReason reason) => _ = LeaveWhenIdle(reason, stopServing: true);

    /// <inheritdoc />
    public void DelayDeactivation(TimeSpan timeSpan)
    {
        long until = timeSpan <= TimeSpan.Zero ? 0 : Runtime.NowTicks + timeSpan.Ticks;
        using (InterleavingPoints.Lock(Gate))
        {
            Extras.KeepAliveUntilTicks = until;
        }
    }

    /// <summary>
    /// Deactivates the activation if it is idle past its collection age and keep-alive at <paramref name="nowTicks"/>.
    /// Otherwise returns false with <paramref name="collectableAtTicks"/> set to when it may next be collectable, or 0
    /// when it is leaving anyway.
    /// </summary>
    public bool TryCollect(long nowTicks, out long collectableAtTicks)
    {
        long ageTicks = (ClassInfo.CollectionAge ?? Runtime.Settings.CollectionAge).Ticks;
        using (InterleavingPoints.Lock(Gate))
        {
            collectableAtTicks = 0;
            if (_state != ActivationState.Valid)
            {
                return false;
            }

            if (_running != 0 || _queueHead is not null)
            {
                collectableAtTicks = nowTicks + ageTicks;
                return false;
            }

            long keepAlive = _extras?.KeepAliveUntilTicks ?? 0;
            long idleExpiry = _idleSinceTicks + ageTicks;
            if (nowTicks < keepAlive || nowTicks < idleExpiry)
            {
                collectableAtTicks = Math.Max(keepAlive, idleExpiry);
                return false;
            }

            _state = ActivationState.Deactivating;
        }

        StartDeactivation(new DeactivationReason(DeactivationReasonCode.ActivationIdle, $"Idle for at least {TimeSpan.FromTicks(ageTicks)}."));
        return true;
    }

    /// <summary>Graceful shutdown: deactivate once the running and queued requests are done.</summary>
    public Task ShutdownAsync()
        => LeaveWhenIdle(new DeactivationReason(DeactivationReasonCode.ShuttingDown, "The silo is shutting down."), stopServing: false);

    /// <summary>Abrupt stop: no OnDeactivateAsync, queued callers fail, the activation is gone.</summary>
    public void Kill()
    {
        GrainCall? dropped;
        using (InterleavingPoints.Lock(Gate))
        {
            if (_state is ActivationState.Activating or ActivationState.Valid or ActivationState.Deactivating)
            {
                Runtime.Instruments.ActivationEnded(ClassInfo.TypeName);
            }

            _state = ActivationState.Invalid;
            dropped = TakeQueueLocked();
        }

        DisposeTimers();
        var error = new SiloUnavailableException($"Silo '{Runtime.Settings.SiloName}' was killed before grain {GrainId} served the call.");
        FailChain(dropped, error);
        MarkDeparted();
    }

    /// <summary>Constructs the grain, loads its state and runs OnActivateAsync; on failure fails every queued request and leaves the catalog.</summary>
    private async Task ActivateAsync()
    {
        // Activation runs with no request context (not that of the call that happened to create the activation).
        RequestContext.Clear();
        CancellationToken stopping = Runtime.Stopping;
        if (Runtime.Router is { } router && !await IsAdmittedAsync(router, stopping))
        {
            return;
        }

        try
        {
            using (RuntimeContext.EnterConstruction(this))
            {
                _grain = ClassInfo.Create(Runtime.Services, this);
            }

            (_grain as ILifecycleParticipant<IGrainLifecycle>)?.Participate(ObservableLifecycle);
            foreach (IPersistentStateLoader loader in _extras?.StateLoaders ?? [])
            {
                await loader.LoadAsync();
            }

            if (_extras?.Lifecycle is { } lifecycle)
            {
                await lifecycle.StartAsync(_grain.OnActivateAsync, stopping);
            }
            else
            {
                await _grain.OnActivateAsync(stopping);
            }
        }
        catch (Exception ex)
        {
            GrainCall? failed;
            using (InterleavingPoints.Lock(Gate))
            {
                _state = ActivationState.Invalid;
                failed = TakeQueueLocked();
            }

            Runtime.Log.ActivationFailed(ex, GrainId, ClassInfo.GrainClass.FullName);
            DisposeTimers();
            FailChain(failed, ex);
            Runtime.Catalog.Remove(this);
            Runtime.Instruments.ActivationEnded(ClassInfo.TypeName);
            Runtime.Router?.OnDeactivated(GrainId, ClassInfo.Descriptor);
            MarkDeparted();
            return;
        }

        GrainCall? admitted;
        DeactivationReason? deactivate = null;
        long now = Runtime.NowTicks;
        using (InterleavingPoints.Lock(Gate))
        {
            if (_state != ActivationState.Activating)
            {
                // Killed while activating.
                return;
            }

            _state = ActivationState.Valid;
            _idleSinceTicks = now;
            admitted = TakeAdmittedLocked();
            if (_running == 0 && (_queueHead is null || _extras?.StopServing == true) && _extras?.DeactivateWhenIdle is { } reason)
            {
                _state = ActivationState.Deactivating;
                deactivate = reason;
            }
        }

        Runtime.Collector.Schedule(this, now + (ClassInfo.CollectionAge ?? Runtime.Settings.CollectionAge).Ticks);
        StartChain(admitted);
        Runtime.Log.Activated(GrainId);
        if (deactivate is { } r)
        {
            StartDeactivation(r);
        }
    }

    private void StartDeactivation(DeactivationReason reason)
    {
        Runtime.Collector.Remove(this);
        _ = Task.Factory.StartNew(static s =>
        {
            var (activation, r) = ((ActivationData, DeactivationReason))s!;
            return activation.DeactivateAsync(r);
        }, (this, reason), CancellationToken.None, TaskCreationOptions.DenyChildAttach, this).Unwrap();
    }

    private async Task DeactivateAsync(DeactivationReason reason)
    {
        CancellationToken grace = Runtime.DeactivationCancellation;
        RequestContext.Clear();
        DisposeTimers();
        try
        {
            await _grain!.OnDeactivateAsync(reason, grace);
        }
        catch (Exception ex)
        {
            Runtime.Log.DeactivationFailed(ex, GrainId, "OnDeactivateAsync");
        }

        if (_extras?.Lifecycle is { } lifecycle)
        {
            await lifecycle.StopAsync((ex, participant) => Runtime.Log.DeactivationFailed(ex, GrainId, $"lifecycle participant '{participant}'"), grace);
        }

        GrainCall? forward;
        using (InterleavingPoints.Lock(Gate))
        {
            _state = ActivationState.Invalid;
            forward = TakeQueueLocked();
        }

        Runtime.Catalog.Remove(this);
        Runtime.Instruments.ActivationEnded(ClassInfo.TypeName);
        Runtime.Log.Deactivated(GrainId, reason.ReasonCode);
        Runtime.Router?.OnDeactivated(GrainId, ClassInfo.Descriptor);
        MarkDeparted();
        RedispatchChain(forward);
    }

    /// <summary>
    /// Asks the router whether this silo may activate the grain; when it refuses (or fails), the activation leaves the
    /// catalog without running grain code and its queued requests are routed again (or fail with the router's
    /// exception). Returns whether to go on.
    /// </summary>
    private async Task<bool> IsAdmittedAsync(Hosting.IGrainCallRouter router, CancellationToken stopping)
    {
        Exception? failure = null;
        try
        {
            if (await router.CanActivateAsync(GrainId, ClassInfo.Descriptor, stopping))
            {
                return true;
            }
        }
        catch (Exception ex)
        {
            failure = ex;
        }

        GrainCall? queued;
        using (InterleavingPoints.Lock(Gate))
        {
            _state = ActivationState.Invalid;
            queued = TakeQueueLocked();
        }

        Runtime.Catalog.Remove(this);
        Runtime.Instruments.ActivationEnded(ClassInfo.TypeName);
        MarkDeparted();
        if (failure is not null)
        {
            FailChain(queued, failure);
        }
        else
        {
            RedispatchChain(queued);
        }

        return false;
    }

    /// <summary>
    /// Moves the grain away from this silo: stops starting queued requests, deactivates as soon as the running ones
    /// finish (OnDeactivateAsync and the lifecycle's stop run), and routes the queued ones again. An activation not yet
    /// activating simply leaves the catalog. Returns <see cref="Deactivated"/>.
    /// </summary>
    public Task RelocateAsync(DeactivationReason reason) => LeaveWhenIdle(reason, stopServing: true);

    /// <summary>
    /// Deactivates once no request runs (and, unless <paramref name="stopServing"/>, none waits); with
    /// <paramref name="stopServing"/> queued requests no longer start here and go to the next activation, and any
    /// keep-alive ends. An activation that has not started activating leaves the catalog at once. Returns
    /// <see cref="Deactivated"/>.
    /// </summary>
    private Task LeaveWhenIdle(DeactivationReason reason, bool stopServing)
    {
        bool start = false;
        bool departed = false;
        using (InterleavingPoints.Lock(Gate))
        {
            if (stopServing)
            {
                Extras.StopServing = true;
                Extras.KeepAliveUntilTicks = 0;
            }

            Extras.DeactivateWhenIdle = reason;
            if (_state == ActivationState.Created)
            {
                _state = ActivationState.Invalid;
                departed = true;
            }
            else if (_state == ActivationState.Valid && _running == 0 && (_queueHead is null || Extras.StopServing))
            {
                _state = ActivationState.Deactivating;
                start = true;
            }
        }

        if (departed)
        {
            Runtime.Catalog.Remove(this);
            MarkDeparted();
        }

        if (start)
        {
            StartDeactivation(reason);
        }

        return Deactivated;
    }

    private void RedispatchChain(GrainCall? chain)
    {
        while (chain is not null)
        {
            GrainCall next = chain.NextQueued!;
            chain.NextQueued = null;
            if (chain.LocalTurn is null)
            {
                _ = Runtime.Invoker.RedispatchAsync(chain);
            }
            else
            {
                // A timer tick belongs to this activation, whose timers are disposed: it is dropped, not forwarded.
                chain.Fail(new InvalidOperationException($"Grain {GrainId} deactivated before the local turn ran."));
            }

            chain = next;
        }
    }

    private void MarkDeparted()
    {
        TaskCompletionSource? departed;
        using (InterleavingPoints.Lock(Gate))
        {
            _departed = true;
            departed = _extras?.Departed;
        }

        departed?.TrySetResult();
    }

    private static void FailChain(GrainCall? chain, Exception error)
    {
        while (chain is not null)
        {
            GrainCall next = chain.NextQueued!;
            chain.NextQueued = null;
            chain.Fail(error);
            chain = next;
        }
    }
}
