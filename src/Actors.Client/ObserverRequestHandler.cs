using Actors.Invocation;
using Actors.Runtime;
using Actors.Serialization;
using Actors.Wire;
using Microsoft.Extensions.Logging;

namespace Actors.Client;

/// <summary>
/// Serves the silo's calls to the observers this client hosts (Request frames from the gateway): resolves the method,
/// reads the arguments and request context, runs the call through the client's <see cref="ObserverRegistry"/> (one at a
/// time per object, on the thread pool) and queues the Response frame, or nothing for a one-way call.
/// </summary>
/// <remarks>Thread-safe. Never throws: a failure becomes an error Response carrying the exception.</remarks>
internal sealed partial class ObserverRequestHandler(ObserverRegistry observers, Serializer serializer, Func<byte[], bool> send, ILogger logger)
{
    /// <summary>Starts serving <paramref name="request"/>; its response is queued when the observer's call completes.</summary>
    public void Handle(RequestFrame request) => _ = ServeAsync(request);

    private async Task ServeAsync(RequestFrame request)
    {
        byte[] response;
        try
        {
            if (!observers.Methods.TryGetMethod(request.MethodKey, out GrainMethod method))
            {
                throw new MissingMethodException($"This client hosts no observer with the method '{request.MethodKey}'.");
            }

            if (request.Arguments.Length != method.ParameterTypes.Count)
            {
                throw new ArgumentException($"Observer method '{method.Key}' takes {method.ParameterTypes.Count} arguments; the request carried {request.Arguments.Length}.");
            }

            object?[] arguments = new object?[request.Arguments.Length];
            for (int i = 0; i < arguments.Length; i++)
            {
                try
                {
                    arguments[i] = serializer.Deserialize(request.Arguments[i], method.ParameterTypes[i]);
                }
                catch (Exception ex) when (CallPaths.Argument(ex, method, i))
                {
                    throw; // not reached: the filter only records the parameter in the error's member path
                }
            }

            Dictionary<string, object>? context = request.Headers.RequestContext.Length == 0
                ? null
                : serializer.Deserialize<Dictionary<string, object>>(request.Headers.RequestContext);
            var call = new GrainCallRequest(request.Target, method, arguments) { RequestContext = context };
            object? result = await observers.InvokeAsync(call, arguments).ConfigureAwait(false);
            response = GatewayFrameCodec.EncodeResponseOk(request.CorrelationId, method.ResultType == typeof(void) ? [] : SerializeResult(method, result));
        }
        catch (Exception ex)
        {
            LogObserverCallFailed(logger, request.Target, request.MethodKey, ex);
            response = EncodeError(request.CorrelationId, ex);
        }

        if (!request.Headers.IsOneWay)
        {
            send(response);
        }
    }

    private byte[] SerializeResult(GrainMethod method, object? result)
    {
        try
        {
            return serializer.SerializeToArray(result, method.ResultType);
        }
        catch (Exception ex) when (CallPaths.Result(ex, method))
        {
            throw; // not reached: the filter only records the result in the error's member path
        }
    }

    private byte[] EncodeError(ulong correlationId, Exception ex)
    {
        string type = ex.GetType().FullName ?? ex.GetType().Name;
        byte[] exception;
        try
        {
            exception = serializer.SerializeToArray(ex);
        }
        catch (SerializerException)
        {
            exception = [];
        }

        return GatewayFrameCodec.EncodeResponseError(correlationId, exception, type, ex.Message);
    }

    [LoggerMessage(EventId = 3020, Level = LogLevel.Debug, Message = "Observer call {MethodKey} to {Observer} failed")]
    private static partial void LogObserverCallFailed(ILogger logger, GrainId observer, string methodKey, Exception exception);
}
