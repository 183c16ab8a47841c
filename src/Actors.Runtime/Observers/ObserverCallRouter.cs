using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Actors.Invocation;

namespace Actors.Runtime;

/// <summary>
/// Delivers calls made in the silo to observers (<see cref="IGrainObserver"/> references, whose grain ids are
/// <see cref="ObserverIds"/>): to an object of this silo's <see cref="ObserverRegistry"/>.
/// </summary>
/// <remarks>
/// An object's calls run on the thread pool, outside any grain's turn, one at a time per object in arrival order (as
/// Orleans runs a local object's messages); each runs with the caller's request context, and its arguments and result
/// follow the copy rule. A call that waits for its result gives up after the silo's response timeout
/// (<see cref="TimeoutException"/>). A call to an object that was deleted, or that another process created, fails with
/// <see cref="ClientNotAvailableException"/>.
/// </remarks>
internal sealed class ObserverCallRouter(GrainRuntime runtime, ObserverRegistry local)
{
    private readonly ConcurrentDictionary<GrainMethod, GrainMethodInvoker> _invokers = new();
    private readonly ConditionalWeakTable<IGrainObserver, SemaphoreSlim> _turns = [];

    public ValueTask<object?> InvokeAsync(GrainCallRequest request, CancellationToken cancellationToken)
    {
        if (!local.TryGet(request.Target, out IGrainObserver observer))
        {
            string owner = ObserverIds.OwnerOf(request.Target);
            return ValueTask.FromException<object?>(new ClientNotAvailableException(string.Equals(owner, local.Owner, StringComparison.Ordinal)
                ? $"Observer {request.Target} was deleted (DeleteObjectReference); call {request.Method.Key} not delivered."
                : $"Observer {request.Target} belongs to '{owner}', which this silo cannot reach; call {request.Method.Key} not delivered."));
        }

        object?[] arguments = runtime.Copier.CopyArguments(request.Arguments);

        // Task.Run: the object's code runs on the thread pool, never on the calling grain's scheduler.
        Task<object?> outcome = Task.Run(() => RunAsync(observer, request, arguments, cancellationToken), CancellationToken.None);
        return request.Method.IsOneWay
            ? new ValueTask<object?>(outcome)
            : WaitForResponseAsync(outcome, request, cancellationToken);
    }

    private async ValueTask<object?> WaitForResponseAsync(Task<object?> outcome, GrainCallRequest request, CancellationToken cancellationToken)
    {
        TimeSpan timeout = runtime.Settings.ResponseTimeout;
        try
        {
            return await outcome.WaitAsync(timeout, runtime.TimeProvider, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException) when (!outcome.IsCompleted)
        {
            runtime.Log.CallTimedOut(request.Method.Key, request.Target, timeout);
            throw new TimeoutException($"Call {request.Method.Key} to observer {request.Target} got no response within {timeout} (a slow observer, or one waiting for its caller).");
        }
    }

    private async Task<object?> RunAsync(IGrainObserver observer, GrainCallRequest request, object?[] arguments, CancellationToken cancellationToken)
    {
        GrainMethodInvoker invoker = _invokers.GetOrAdd(request.Method, GrainMethodInvoker.Compile);
        SemaphoreSlim turn = _turns.GetValue(observer, static _ => new SemaphoreSlim(1, 1));
        await turn.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            RequestContext.Import(request.RequestContext);
            object? result = await invoker.Invoke(observer, arguments).ConfigureAwait(false);
            return runtime.Copier.Copy(result);
        }
        finally
        {
            turn.Release();
        }
    }
}
