using Actors.Storage;

namespace Actors.Runtime;

/// <content>Activation, collection and deactivation.</content>
internal sealed partial class ActivationData
{
    /// <summary>Constructs the grain, loads its state and runs OnActivateAsync; on failure fails every queued request and leaves the catalog.</summary>
    private async Task ActivateAsync()
    {
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
            foreach (IPersistentStateLoader loader in _stateLoaders ?? [])
            {
                await loader.LoadAsync();
            }

            if (_lifecycle is null)
            {
                await _grain.OnActivateAsync(stopping);
            }
            else
            {
                await _lifecycle.StartAsync(_grain.OnActivateAsync, stopping);
            }
        }
        catch (Exception ex)
        {
            GrainWorkItem[] failed;
            lock (_lock)
            {
                _state = ActivationState.Invalid;
                failed = [.. _pending];
                _pending.Clear();
            }

            Runtime.Log.ActivationFailed(ex, GrainId, ClassInfo.GrainClass.FullName);
            foreach (GrainWorkItem work in failed)
            {
                work.Completion.TrySetException(ex);
            }

            Runtime.Catalog.Remove(this);
            Runtime.Instruments.ActivationEnded(ClassInfo.TypeName);
            Runtime.Router?.OnDeactivated(GrainId, ClassInfo.Descriptor);
            _deactivated.TrySetResult();
            return;
        }

        DeactivationReason? deactivate = null;
        lock (_lock)
        {
            if (_state != ActivationState.Activating)
            {
                // Killed while activating.
                return;
            }

            _state = ActivationState.Valid;
            _idleSince = Runtime.TimeProvider.GetUtcNow();
            StartReadyLocked();
            if (_running == 0 && (_pending.Count == 0 || _stopServing) && _deactivateWhenIdle is { } reason)
            {
                _state = ActivationState.Deactivating;
                deactivate = reason;
            }
        }

        Runtime.Log.Activated(GrainId);
        if (deactivate is { } r)
        {
            StartDeactivation(r);
        }
    }

    /// <summary>
    /// Asks the router whether this silo may activate the grain; when it refuses (or fails), the activation leaves the
    /// catalog without running grain code and its queued requests are routed again. Returns whether to go on.
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

        GrainWorkItem[] queued;
        lock (_lock)
        {
            _state = ActivationState.Invalid;
            queued = [.. _pending];
            _pending.Clear();
        }

        Runtime.Catalog.Remove(this);
        Runtime.Instruments.ActivationEnded(ClassInfo.TypeName);
        _deactivated.TrySetResult();
        foreach (GrainWorkItem work in queued)
        {
            if (failure is not null)
            {
                work.Completion.TrySetException(failure);
            }
            else
            {
                _ = Runtime.Invoker.RedispatchAsync(work);
            }
        }

        return false;
    }

    /// <summary>
    /// Moves the grain away from this silo: stops starting queued requests, deactivates as soon as the running ones
    /// finish (OnDeactivateAsync and storage teardown run), and routes the queued ones again. An activation not yet
    /// activating simply leaves the catalog. Returns <see cref="Deactivated"/>.
    /// </summary>
    public Task RelocateAsync(DeactivationReason reason)
    {
        bool start = false;
        lock (_lock)
        {
            _stopServing = true;
            _keepAliveUntil = DateTimeOffset.MinValue;
            _deactivateWhenIdle = reason;
            if (_state == ActivationState.Created)
            {
                _state = ActivationState.Invalid;
                Runtime.Catalog.Remove(this);
                _deactivated.TrySetResult();
            }
            else if (_state == ActivationState.Valid && _running == 0)
            {
                _state = ActivationState.Deactivating;
                start = true;
            }
        }

        if (start)
        {
            StartDeactivation(reason);
        }

        return Deactivated;
    }

    /// <inheritdoc />
    public void DeactivateOnIdle(DeactivationReason reason)
    {
        bool start = false;
        lock (_lock)
        {
            _keepAliveUntil = DateTimeOffset.MinValue;
            _deactivateWhenIdle ??= reason;
            if (_state == ActivationState.Valid && _running == 0 && _pending.Count == 0)
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

    /// <inheritdoc />
    public void Deactivate(DeactivationReason reason)
    {
        if (reason.Exception is { } failure)
        {
            Runtime.Log.StorageFailed(failure, GrainId, reason.Description);
        }

        Invalidate(reason);
    }

    /// <summary>
    /// Stops starting queued requests and deactivates as soon as the running ones finish; the queued ones go to the
    /// next activation. Used when the activation's state may no longer match storage.
    /// </summary>
    public void Invalidate(DeactivationReason reason)
    {
        bool start = false;
        lock (_lock)
        {
            _stopServing = true;
            _keepAliveUntil = DateTimeOffset.MinValue;
            _deactivateWhenIdle = reason;
            if (_state == ActivationState.Valid && _running == 0)
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

    /// <inheritdoc />
    public void DelayDeactivation(TimeSpan timeSpan)
    {
        lock (_lock)
        {
            _keepAliveUntil = timeSpan <= TimeSpan.Zero ? DateTimeOffset.MinValue : Runtime.TimeProvider.GetUtcNow() + timeSpan;
        }
    }

    /// <summary>Deactivates the activation if it has been idle at least its collection age at <paramref name="now"/>.</summary>
    public bool TryCollect(DateTimeOffset now)
    {
        TimeSpan age = ClassInfo.CollectionAge ?? Runtime.Settings.CollectionAge;
        lock (_lock)
        {
            if (_state != ActivationState.Valid || _running != 0 || _pending.Count != 0 || now < _keepAliveUntil || now - _idleSince < age)
            {
                return false;
            }

            _state = ActivationState.Deactivating;
        }

        StartDeactivation(new DeactivationReason(DeactivationReasonCode.ActivationIdle, $"Idle for at least {age}."));
        return true;
    }

    /// <summary>Graceful shutdown: deactivate once the running and queued requests are done.</summary>
    public Task ShutdownAsync()
    {
        var reason = new DeactivationReason(DeactivationReasonCode.ShuttingDown, "The silo is shutting down.");
        bool start = false;
        lock (_lock)
        {
            _deactivateWhenIdle = reason;
            if (_state == ActivationState.Created)
            {
                _state = ActivationState.Invalid;
                Runtime.Catalog.Remove(this);
                _deactivated.TrySetResult();
            }
            else if (_state == ActivationState.Valid && _running == 0 && (_pending.Count == 0 || _stopServing))
            {
                _state = ActivationState.Deactivating;
                start = true;
            }
        }

        if (start)
        {
            StartDeactivation(reason);
        }

        return Deactivated;
    }

    /// <summary>Abrupt stop: no OnDeactivateAsync, queued callers fail, the activation leaves the catalog.</summary>
    public void Kill()
    {
        GrainWorkItem[] dropped;
        lock (_lock)
        {
            if (_state is ActivationState.Activating or ActivationState.Valid or ActivationState.Deactivating)
            {
                Runtime.Instruments.ActivationEnded(ClassInfo.TypeName);
            }

            _state = ActivationState.Invalid;
            dropped = [.. _pending];
            _pending.Clear();
        }

        var error = new SiloUnavailableException($"Silo '{Runtime.Settings.SiloName}' was killed before grain {GrainId} served the call.");
        foreach (GrainWorkItem work in dropped)
        {
            work.Completion.TrySetException(error);
        }

        _deactivated.TrySetResult();
    }

    private void StartDeactivation(DeactivationReason reason)
        => _ = Task.Factory.StartNew(static s =>
        {
            var (activation, r) = ((ActivationData, DeactivationReason))s!;
            return activation.DeactivateAsync(r);
        }, (this, reason), CancellationToken.None, TaskCreationOptions.DenyChildAttach, Scheduler).Unwrap();

    private async Task DeactivateAsync(DeactivationReason reason)
    {
        CancellationToken grace = Runtime.DeactivationCancellation;
        try
        {
            await _grain!.OnDeactivateAsync(reason, grace);
        }
        catch (Exception ex)
        {
            Runtime.Log.DeactivationFailed(ex, GrainId, "OnDeactivateAsync");
        }

        if (_lifecycle is not null)
        {
            await _lifecycle.StopAsync((ex, participant) => Runtime.Log.DeactivationFailed(ex, GrainId, $"lifecycle participant '{participant}'"), grace);
        }

        GrainWorkItem[] forward;
        lock (_lock)
        {
            _state = ActivationState.Invalid;
            forward = [.. _pending];
            _pending.Clear();
        }

        Runtime.Catalog.Remove(this);
        Runtime.Instruments.ActivationEnded(ClassInfo.TypeName);
        Runtime.Log.Deactivated(GrainId, reason.ReasonCode);
        Runtime.Router?.OnDeactivated(GrainId, ClassInfo.Descriptor);
        _deactivated.TrySetResult();
        foreach (GrainWorkItem work in forward)
        {
            _ = Runtime.Invoker.RedispatchAsync(work);
        }
    }
}
