using System.Diagnostics;
using Actors.Hosting;
using Actors.Invocation;

namespace Actors.Runtime;

/// <summary>
/// The silo's <see cref="IGrainCallInvoker"/>: resolves the grain class, asks the <see cref="IGrainCallRouter"/> (when
/// one is registered: a cluster) whether this silo serves the call, applies the copy rule to the arguments, creates the
/// call's <see cref="GrainCall"/> (tracked for its response deadline and by the stuck-grain detector), queues it at the
/// grain's activation (creating it on first use) and returns the caller's view of its outcome.
/// </summary>
internal sealed class LocalGrainCallInvoker(GrainRuntime runtime) : IGrainCallInvoker
{
    /// <summary>How many times one request may be routed again (its activation went away or refused it) before it fails.</summary>
    internal const int MaxReroutes = 32;

    /// <inheritdoc />
    /// <remarks>
    /// A call made in this silo carries the flow's <see cref="RequestContext"/> (after the outgoing filters ran) and
    /// the calling grain; a forwarded call (<see cref="GrainCallRequest.IsForwarded"/>) keeps the headers it arrived with
    /// and skips the outgoing filters.
    /// </remarks>
    public ValueTask<object?> InvokeAsync(GrainCallRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.IsForwarded)
        {
            return SendAsync(WithHeaders(request, request.SourceId, CopyContext(request.RequestContext)), cancellationToken);
        }

        ActivationData? caller = TaskScheduler.Current as ActivationData;
        GrainId? source = request.SourceId ?? caller?.GrainId;
        OutgoingCallPipeline outgoing = runtime.Filters.Outgoing;
        return outgoing.IsEmpty
            ? SendAsync(WithHeaders(request, source, CopyContext(RequestContext.Export())), cancellationToken)
            : outgoing.InvokeAsync(WithHeaders(request, source, request.RequestContext), caller, (filtered, token) => SendAsync(WithHeaders(filtered, filtered.SourceId, CopyContext(filtered.RequestContext)), token), cancellationToken);
    }

    /// <summary>
    /// <paramref name="request"/> with these headers: the same instance when it already carries them, else one copy (a
    /// call path that set both headers through two <c>with</c> copies allocated two requests per call).
    /// </summary>
    private static GrainCallRequest WithHeaders(GrainCallRequest request, GrainId? source, IReadOnlyDictionary<string, object>? context)
        => request.SourceId == source && ReferenceEquals(request.RequestContext, context)
            ? request
            : request with { SourceId = source, RequestContext = context };

    /// <summary>Applies the copy rule to request-context values, so caller and callee never share a mutable value.</summary>
    private IReadOnlyDictionary<string, object>? CopyContext(IReadOnlyDictionary<string, object>? values)
    {
        if (values is null || values.Count == 0 || values.Values.All(v => CallCopier.IsImmutable(v.GetType())))
        {
            return values;
        }

        return values.ToDictionary(e => e.Key, e => runtime.Copier.Copy(e.Value)!, StringComparer.Ordinal);
    }

    private ValueTask<object?> SendAsync(GrainCallRequest request, CancellationToken cancellationToken)
    {
        if (ObserverIds.IsObserver(request.Target))
        {
            return ObserveIfOneWay(runtime.Observers.InvokeAsync(request, cancellationToken), request);
        }

        GrainClassInfo classInfo;
        GrainId target;
        try
        {
            if (runtime.IsStopping && TaskScheduler.Current is not ActivationTaskScheduler)
            {
                throw new SiloUnavailableException($"Silo '{runtime.Settings.SiloName}' is stopping; call {request.Method.Key} to {request.Target} refused.");
            }

            (classInfo, target) = runtime.Types.Resolve(request.Target, request.Method);
        }
        catch (Exception ex)
        {
            return ValueTask.FromException<object?>(ex);
        }

        ValueTask<object?> outcome = runtime.Router is { } router
            ? InvokeRoutedAsync(router, request, classInfo, target, cancellationToken)
            : InvokeLocal(request, classInfo, target, cancellationToken);
        return ObserveIfOneWay(outcome, request);
    }

    /// <summary>[OneWay] (or a void observer method): the caller does not wait; the outcome is observed here so a failure is not left unobserved.</summary>
    private ValueTask<object?> ObserveIfOneWay(ValueTask<object?> outcome, GrainCallRequest request)
    {
        if (!request.Method.IsOneWay)
        {
            return outcome;
        }

        _ = ObserveOneWayAsync(outcome, request);
        return default;
    }

    private async Task ObserveOneWayAsync(ValueTask<object?> outcome, GrainCallRequest request)
    {
        try
        {
            await outcome;
        }
        catch (Exception ex)
        {
            runtime.Log.OneWayCallFailed(ex, request.Method.Key, request.Target);
        }
    }

    /// <summary>
    /// Routes a request again (its activation deactivated or refused to activate before serving it): to a local
    /// activation, or, with a router, wherever the router sends it.
    /// </summary>
    internal Task RedispatchAsync(GrainCall call)
    {
        if (runtime.Router is not { } router)
        {
            return DispatchLocal(call);
        }

        if (++call.Reroutes > MaxReroutes)
        {
            call.Fail(new SiloUnavailableException(
                $"Call {call.Request.Method.Key} to grain {call.Target} was routed {MaxReroutes} times without reaching an activation that serves it (silo '{runtime.Settings.SiloName}')."));
            return Task.CompletedTask;
        }

        return RouteAndDispatchAsync(call, router);
    }

    private ValueTask<object?> InvokeLocal(GrainCallRequest request, GrainClassInfo classInfo, GrainId target, CancellationToken cancellationToken)
    {
        GrainCall call;
        try
        {
            call = new GrainCall(runtime, request, runtime.Copier.CopyArguments(request.Arguments, request.Method), target, classInfo, runtime.NowTicks);
        }
        catch (Exception ex)
        {
            return ValueTask.FromException<object?>(ex);
        }

        runtime.OutstandingCalls.Track(call);
        call.CancelWith(cancellationToken);
        _ = DispatchLocal(call);
        return call.AsValueTask();
    }

    private async ValueTask<object?> InvokeRoutedAsync(IGrainCallRouter router, GrainCallRequest request, GrainClassInfo classInfo, GrainId target, CancellationToken cancellationToken)
    {
        GrainCallRequest routed = target == request.Target ? request : request with { Target = target };
        GrainCallRoute route = await router.RouteAsync(routed, classInfo.Descriptor, cancellationToken);
        if (route.RemoteOutcome is not { } remote)
        {
            return await InvokeLocal(request, classInfo, target, cancellationToken);
        }

        long started = Stopwatch.GetTimestamp();
        bool failed = true;
        try
        {
            object? result = cancellationToken.CanBeCanceled ? await remote.WaitAsync(cancellationToken) : await remote;
            failed = false;
            return result;
        }
        finally
        {
            runtime.Instruments.CallCompleted(Stopwatch.GetElapsedTime(started), failed);
        }
    }

    private async Task RouteAndDispatchAsync(GrainCall call, IGrainCallRouter router)
    {
        GrainCallRoute route;
        try
        {
            route = await router.RouteAsync(new GrainCallRequest(call.Target, call.Request.Method, call.Arguments), call.ClassInfo.Descriptor, CancellationToken.None);
        }
        catch (Exception ex)
        {
            call.Fail(ex);
            return;
        }

        if (route.RemoteOutcome is not { } remote)
        {
            await DispatchLocal(call);
            return;
        }

        if (!call.TryStart(runtime.NowTicks))
        {
            // The caller already gave up (timeout): the remote call still runs, nobody waits for it.
            return;
        }

        object? result = null;
        Exception? error = null;
        try
        {
            result = await remote;
        }
        catch (Exception ex)
        {
            error = ex;
        }

        call.Finish(result, error);
    }

    /// <summary>Queues <paramref name="call"/> at the current activation of its grain in this silo, waiting out a deactivation in progress.</summary>
    private Task DispatchLocal(GrainCall call)
    {
        while (true)
        {
            if (runtime.IsKilled)
            {
                call.Fail(new SiloUnavailableException($"Silo '{runtime.Settings.SiloName}' was killed; call to {call.Target} not delivered."));
                return Task.CompletedTask;
            }

            if (call.IsCallerDone)
            {
                // Timed out or cancelled while waiting for a previous activation to leave: nothing left to deliver.
                return Task.CompletedTask;
            }

            ActivationData activation = runtime.Catalog.GetOrCreate(call.Target, call.ClassInfo);
            bool accepted;
            try
            {
                accepted = activation.TryAccept(call);
            }
            finally
            {
                if (call.ClassInfo.MaxLocalWorkers is not null)
                {
                    activation.ReleaseReservation(); // the call now counts in the worker's queue (or goes elsewhere)
                }
            }

            if (accepted)
            {
                return Task.CompletedTask;
            }

            Task departed = activation.Deactivated;
            if (!departed.IsCompleted)
            {
                return RetryAfterAsync(departed, call);
            }

            runtime.Catalog.Remove(activation);
        }
    }

    private async Task RetryAfterAsync(Task departed, GrainCall call)
    {
        await departed;
        await RedispatchAsync(call);
    }
}
