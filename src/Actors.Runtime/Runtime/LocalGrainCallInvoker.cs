using System.Diagnostics;
using Actors.Invocation;

namespace Actors.Runtime;

/// <summary>
/// The silo's <see cref="IGrainCallInvoker"/>: resolves the grain class, applies the copy rule to the arguments,
/// queues the call at the grain's activation (creating it on first use) and waits for the result up to the response
/// timeout.
/// </summary>
internal sealed class LocalGrainCallInvoker(GrainRuntime runtime) : IGrainCallInvoker
{
    /// <inheritdoc />
    public async ValueTask<object?> InvokeAsync(GrainCallRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (runtime.IsStopping && TaskScheduler.Current is not ActivationTaskScheduler)
        {
            throw new SiloUnavailableException($"Silo '{runtime.Settings.SiloName}' is stopping; call {request.Method.Key} to {request.Target} refused.");
        }

        (GrainClassInfo classInfo, GrainId target) = runtime.Types.Resolve(request.Target, request.Method);
        var work = new GrainWorkItem(request, runtime.Copier.CopyArguments(request.Arguments), target, classInfo);
        long started = Stopwatch.GetTimestamp();
        bool failed = true;
        try
        {
            _ = DispatchAsync(work);
            TimeSpan timeout = runtime.Settings.ResponseTimeout;
            object? result;
            try
            {
                result = await work.Completion.Task.WaitAsync(timeout, runtime.TimeProvider, cancellationToken);
            }
            catch (TimeoutException) when (!work.Completion.Task.IsCompleted)
            {
                work.Abandon();
                runtime.Log.CallTimedOut(request.Method.Key, target, timeout);
                throw new TimeoutException(
                    $"Call {request.Method.InterfaceType.Name}.{request.Method.Method.Name} to grain {target} got no response within {timeout} (a call cycle between non-reentrant grains, or a slow grain).");
            }

            failed = false;
            return result;
        }
        finally
        {
            runtime.Instruments.CallCompleted(Stopwatch.GetElapsedTime(started), failed);
        }
    }

    /// <summary>Queues <paramref name="work"/> at the current activation of its grain, waiting out a deactivation in progress.</summary>
    internal Task DispatchAsync(GrainWorkItem work)
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
        await DispatchAsync(work);
    }
}
