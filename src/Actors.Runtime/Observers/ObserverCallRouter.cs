using Actors.Hosting;
using Actors.Invocation;
using Microsoft.Extensions.DependencyInjection;

namespace Actors.Runtime;

/// <summary>
/// Delivers calls made in the silo to observers (<see cref="IGrainObserver"/> references, whose grain ids are
/// <see cref="ObserverIds"/>): to an object of this silo's <see cref="ObserverRegistry"/>, which runs them one at a time
/// per object off the grain scheduler, or to the client that owns the observer through the
/// <see cref="IClientObserverTransport"/> (the gateway).
/// </summary>
/// <remarks>
/// Arguments and results follow the copy rule. A call that waits for its result gives up after the silo's response
/// timeout (<see cref="TimeoutException"/> naming the observer). A call to an object that was deleted, or that another
/// process created, fails with <see cref="ClientNotAvailableException"/>.
/// </remarks>
internal sealed class ObserverCallRouter(GrainRuntime runtime, ObserverRegistry local)
{
    public ValueTask<object?> InvokeAsync(GrainCallRequest request, CancellationToken cancellationToken)
    {
        string owner = ObserverIds.OwnerOf(request.Target);
        if (!string.Equals(owner, local.Owner, StringComparison.Ordinal) && runtime.Services.GetService<IClientObserverTransport>() is { } clients)
        {
            return clients.InvokeAsync(owner, request, cancellationToken);
        }

        Task<object?> outcome;
        try
        {
            outcome = local.InvokeAsync(request, runtime.Copier.CopyArguments(request.Arguments, request.Method), cancellationToken);
        }
        catch (Exception ex)
        {
            return ValueTask.FromException<object?>(ex);
        }

        return request.Method.IsOneWay ? new ValueTask<object?>(outcome) : WaitForResponseAsync(outcome, request, cancellationToken);
    }

    private async ValueTask<object?> WaitForResponseAsync(Task<object?> outcome, GrainCallRequest request, CancellationToken cancellationToken)
    {
        TimeSpan timeout = runtime.Settings.ResponseTimeout;
        try
        {
            return runtime.Copier.CopyResult(await outcome.WaitAsync(timeout, runtime.TimeProvider, cancellationToken).ConfigureAwait(false), request.Method);
        }
        catch (TimeoutException) when (!outcome.IsCompleted)
        {
            runtime.Log.CallTimedOut(request.Method.Key, request.Target, timeout);
            throw new TimeoutException($"Call {request.Method.Key} to observer {request.Target} got no response within {timeout} (a slow observer, or one waiting for its caller).");
        }
    }
}
