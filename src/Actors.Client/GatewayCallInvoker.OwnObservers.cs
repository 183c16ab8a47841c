using Actors.Invocation;
using Actors.Serialization;
using Microsoft.Extensions.Logging;

namespace Actors.Client;

/// <content>Calls to observers this client hosts: they run here, never through the gateway.</content>
internal sealed partial class GatewayCallInvoker
{
    /// <summary>
    /// Runs a call to an observer this client hosts here, as a call from a silo would run it: the arguments and the result
    /// are copied through the serializer (so the callee never shares the caller's objects, and a value without a codec
    /// fails the call naming the method and parameter or result, as on the wire); a one-way call is not awaited by the
    /// caller, and its failure is logged. (Sent through the gateway, the call came back as an unknown method, and a
    /// one-way call was dropped.)
    /// </summary>
    private ValueTask<object?> InvokeOwnObserver(GrainCallRequest request, CancellationToken cancellationToken)
    {
        Task<object?> call = InvokeOwnObserverAsync(request, cancellationToken);
        if (!request.Method.IsOneWay)
        {
            return new ValueTask<object?>(call);
        }

        _ = call.ContinueWith(
            (failed, state) => LogOwnObserverOneWayFailed(_logger, ((GrainCallRequest)state!).Method.Key, failed.Exception!.GetBaseException()),
            request,
            CancellationToken.None,
            TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
        return default;
    }

    private async Task<object?> InvokeOwnObserverAsync(GrainCallRequest request, CancellationToken cancellationToken)
    {
        GrainMethod method = request.Method;
        var arguments = new object?[request.Arguments.Length];
        for (int i = 0; i < arguments.Length; i++)
        {
            try
            {
                arguments[i] = Copy(request.Arguments[i], method.ParameterTypes[i]);
            }
            catch (Exception ex) when (CallPaths.Argument(ex, method, i))
            {
                throw; // not reached: the filter only records the parameter in the error's member path
            }
        }

        object? result = await Observers.InvokeAsync(request with { Arguments = arguments }, arguments, cancellationToken).ConfigureAwait(false);
        if (method.ResultType == typeof(void))
        {
            return null;
        }

        try
        {
            return Copy(result, method.ResultType);
        }
        catch (Exception ex) when (CallPaths.Result(ex, method))
        {
            throw; // not reached: the filter only records the result in the error's member path
        }
    }

    private object? Copy(object? value, Type declaredType) => _serializer.Deserialize(_serializer.SerializeToArray(value, declaredType), declaredType);

    [LoggerMessage(EventId = 3016, Level = LogLevel.Warning, Message = "One-way call {MethodKey} to an observer of this client failed")]
    private static partial void LogOwnObserverOneWayFailed(ILogger logger, string methodKey, Exception exception);
}
