using System.Diagnostics;
using Actors.Hosting;
using Actors.Invocation;

namespace Actors.Runtime;

/// <summary>
/// The silo's <see cref="IGrainCallInvoker"/>: resolves the grain class, asks the <see cref="IGrainCallRouter"/> (when
/// one is registered: a cluster) whether this silo serves the call, applies the copy rule to the arguments, queues the
/// call at the grain's activation (creating it on first use) and waits for the result up to the response timeout.
/// </summary>
internal sealed class LocalGrainCallInvoker(GrainRuntime runtime) : IGrainCallInvoker
{
    /// <summary>How many times one request may be routed again (its activation went away or refused it) before it fails.</summary>
    internal const int MaxReroutes = 32;

    /// <inheritdoc />
    public async ValueTask<object?> InvokeAsync(GrainCallRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (runtime.IsStopping && TaskScheduler.Current is not ActivationTaskScheduler)
        {
            throw new SiloUnavailableException($"Silo '{runtime.Settings.SiloName}' is stopping; call {request.Method.Key} to {request.Target} refused.");
        }

        (GrainClassInfo classInfo, GrainId target) = runtime.Types.Resolve(request.Target, request.Method);
        long started = Stopwatch.GetTimestamp();
        bool failed = true;
        GrainWorkItem? work = null;
        try
        {
            if (runtime.Router is { } router)
            {
                GrainCallRequest routed = target == request.Target ? request : request with { Target = target };
                GrainCallRoute route = await router.RouteAsync(routed, classInfo.Descriptor, cancellationToken);
                if (route.RemoteOutcome is { } remote)
                {
                    object? remoteResult = cancellationToken.CanBeCanceled ? await remote.WaitAsync(cancellationToken) : await remote;
                    failed = false;
                    return remoteResult;
                }
            }

            work = new GrainWorkItem(request, runtime.Copier.CopyArguments(request.Arguments), target, classInfo,
                runtime.TimeProvider.GetUtcNow() + runtime.Settings.ResponseTimeout);
            _ = DispatchLocal(work);

            // The response timeout is enforced by the runtime's shared sweep (GrainRuntime.SweepTimeouts), not a timer per call.
            object? result = cancellationToken.CanBeCanceled
                ? await work.Completion.Task.WaitAsync(cancellationToken)
                : await work.Completion.Task;
            failed = false;
            return result;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            work?.Abandon();
            throw;
        }
        finally
        {
            runtime.Instruments.CallCompleted(Stopwatch.GetElapsedTime(started), failed);
        }
    }

    /// <summary>
    /// Routes a request again (its activation deactivated or refused to activate before serving it): to a local
    /// activation, or, with a router, wherever the router sends it.
    /// </summary>
    internal Task RedispatchAsync(GrainWorkItem work)
    {
        if (runtime.Router is null)
        {
            return DispatchLocal(work);
        }

        if (++work.Reroutes > MaxReroutes)
        {
            work.Completion.TrySetException(new SiloUnavailableException(
                $"Call {work.Request.Method.Key} to grain {work.Target} was routed {MaxReroutes} times without reaching an activation that serves it (silo '{runtime.Settings.SiloName}')."));
            return Task.CompletedTask;
        }

        return RouteAndDispatchAsync(work, runtime.Router);
    }

    private async Task RouteAndDispatchAsync(GrainWorkItem work, IGrainCallRouter router)
    {
        GrainCallRoute route;
        try
        {
            route = await router.RouteAsync(new GrainCallRequest(work.Target, work.Request.Method, work.Arguments), work.ClassInfo.Descriptor, CancellationToken.None);
        }
        catch (Exception ex)
        {
            work.Completion.TrySetException(ex);
            return;
        }

        if (route.RemoteOutcome is not { } remote)
        {
            await DispatchLocal(work);
            return;
        }

        if (!work.TryStart())
        {
            // The caller already gave up (timeout): the remote call still runs, nobody waits for it.
            return;
        }

        try
        {
            work.Completion.TrySetResult(await remote);
        }
        catch (Exception ex)
        {
            work.Completion.TrySetException(ex);
        }
    }

    /// <summary>Queues <paramref name="work"/> at the current activation of its grain in this silo, waiting out a deactivation in progress.</summary>
    private Task DispatchLocal(GrainWorkItem work)
    {
        while (true)
        {
            if (runtime.IsKilled)
            {
                work.Completion.TrySetException(new SiloUnavailableException($"Silo '{runtime.Settings.SiloName}' was killed; call to {work.Target} not delivered."));
                return Task.CompletedTask;
            }

            ActivationData activation = runtime.Catalog.GetOrCreate(work.Target, work.ClassInfo);
            if (activation.TryEnqueue(work))
            {
                return Task.CompletedTask;
            }

            if (!activation.Deactivated.IsCompleted)
            {
                return RetryAfterAsync(activation, work);
            }

            runtime.Catalog.Remove(activation);
        }
    }

    private async Task RetryAfterAsync(ActivationData activation, GrainWorkItem work)
    {
        await activation.Deactivated;
        await RedispatchAsync(work);
    }
}
