using Actors.Invocation;

namespace Actors.Runtime;

/// <summary>
/// The silo's <see cref="IGrainCallInvoker"/>: resolves the grain class, applies the copy rule to the arguments,
/// creates the call's <see cref="GrainCall"/> (tracked for its response deadline and by the stuck-grain detector),
/// queues it at the grain's activation (creating it on first use) and returns the caller's view of its outcome.
/// </summary>
internal sealed class LocalGrainCallInvoker(GrainRuntime runtime) : IGrainCallInvoker
{
    /// <inheritdoc />
    public ValueTask<object?> InvokeAsync(GrainCallRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        GrainCall call;
        try
        {
            if (runtime.IsStopping && TaskScheduler.Current is not ActivationTaskScheduler)
            {
                throw new SiloUnavailableException($"Silo '{runtime.Settings.SiloName}' is stopping; call {request.Method.Key} to {request.Target} refused.");
            }

            (GrainClassInfo classInfo, GrainId target) = runtime.Types.Resolve(request.Target, request.Method);
            call = new GrainCall(runtime, request, runtime.Copier.CopyArguments(request.Arguments), target, classInfo, runtime.NowTicks);
        }
        catch (Exception ex)
        {
            return ValueTask.FromException<object?>(ex);
        }

        runtime.OutstandingCalls.Track(call);
        call.CancelWith(cancellationToken);
        _ = DispatchAsync(call);
        return call.AsValueTask();
    }

    /// <summary>Queues <paramref name="call"/> at the current activation of its grain, waiting out a deactivation in progress.</summary>
    internal Task DispatchAsync(GrainCall call)
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
            if (activation.TryAccept(call))
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
        await DispatchAsync(call);
    }
}
