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
        var work = new GrainWorkItem(request, runtime.Copier.CopyArguments(request.Arguments), target, classInfo,
            runtime.TimeProvider.GetUtcNow() + runtime.Settings.ResponseTimeout);
        long started = Stopwatch.GetTimestamp();
        bool failed = true;
        try
        {
            _ = DispatchAsync(work);

            // The response timeout is enforced by the runtime's shared sweep (GrainRuntime.SweepTimeouts), not a timer per call.
            object? result = cancellationToken.CanBeCanceled
                ? await work.Completion.Task.WaitAsync(cancellationToken)
                : await work.Completion.Task;
            failed = false;
            return result;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            work.Abandon();
            throw;
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
