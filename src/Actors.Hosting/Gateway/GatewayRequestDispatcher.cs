using System.Diagnostics;
using Actors.Invocation;
using Actors.Serialization;
using Actors.Wire;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Actors.Hosting.Gateway;

/// <summary>
/// Turns one decoded request frame into one encoded response frame: resolves the method in the
/// <see cref="GrainMethodRegistry"/>, deserializes the arguments and request context with the binary
/// <see cref="Serializer"/> (<see cref="Prepare"/>, on the connection's reader so a later Cancel frame finds the call's
/// tokens), calls the silo's <see cref="IGrainCallInvoker"/> within the request's deadline and serializes the result
/// (<see cref="DispatchAsync"/>). Never throws: every failure becomes an error response carrying the serialized
/// exception, its type full name and message.
/// </summary>
internal sealed partial class GatewayRequestDispatcher(
    GrainMethodRegistry registry,
    IGrainCallInvoker invoker,
    Serializer serializer,
    ClientConnections clients,
    IOptions<GatewayOptions> options,
    ILogger<GatewayRequestDispatcher> logger)
{
    private readonly GatewayOptions _options = options.Value;

    /// <summary>The serializer calls cross the gateway with (also for the silo's calls to client observers).</summary>
    public Serializer Serializer => serializer;

    /// <summary>The connections hosting client observers.</summary>
    public ClientConnections Clients => clients;

    /// <summary>Resolves the method and reads the arguments and headers; a failure is kept for the error response.</summary>
    public PreparedRequest Prepare(RequestFrame request, IncomingCallScope scope)
    {
        try
        {
            if (!registry.TryGetMethod(request.MethodKey, out GrainMethod method))
            {
                throw new MissingMethodException($"This silo has no grain method '{request.MethodKey}' (is the grain interface registered?).");
            }

            if (request.Arguments.Length != method.ParameterTypes.Count)
            {
                throw new ArgumentException(
                    $"Grain method '{method.Key}' takes {method.ParameterTypes.Count} arguments; the request carried {request.Arguments.Length}.");
            }

            object?[] arguments = new object?[request.Arguments.Length];
            for (int i = 0; i < arguments.Length; i++)
            {
                try
                {
                    arguments[i] = serializer.Deserialize(request.Arguments[i], method.ParameterTypes[i], scope);
                }
                catch (Exception ex) when (CallPaths.Argument(ex, method, i))
                {
                    throw; // not reached: the filter only records the parameter in the error's member path
                }
            }

            RequestHeaders headers = request.Headers;
            Dictionary<string, object>? context = headers.RequestContext.Length == 0
                ? null
                : serializer.Deserialize<Dictionary<string, object>>(headers.RequestContext, scope);
            CancellationToken cancelled = headers.CancellationId == 0 ? CancellationToken.None : scope.Import(headers.CancellationId, alreadyCancelled: false);
            var call = new GrainCallRequest(request.Target, method, arguments) { IsForwarded = true, RequestContext = context };
            return new PreparedRequest(call, cancelled, null);
        }
        catch (Exception ex)
        {
            return new PreparedRequest(null, CancellationToken.None, ex);
        }
    }

    /// <summary>
    /// Executes the prepared request and returns the encoded response frame, or null when there is nobody to answer (the
    /// connection closed meanwhile) or nothing to answer (a one-way request).
    /// </summary>
    public async Task<byte[]?> DispatchAsync(RequestFrame request, PreparedRequest prepared, IncomingCallScope scope, CancellationToken connectionClosed)
    {
        long started = Stopwatch.GetTimestamp();
        GatewayInstruments.Requests.Add(1);
        byte[] response;
        try
        {
            if (prepared.Error is not null)
            {
                throw prepared.Error;
            }

            response = await InvokeAsync(request, prepared.Call!, prepared.Cancelled, scope, connectionClosed);
        }
        catch (OperationCanceledException) when (connectionClosed.IsCancellationRequested)
        {
            GatewayInstruments.RequestErrors.Add(1);
            LogRequestAbandoned(logger, request.CorrelationId, request.Target, request.MethodKey);
            return null;
        }
        catch (Exception ex)
        {
            GatewayInstruments.RequestErrors.Add(1);
            response = EncodeError(request, Unwrap(ex), scope);
        }

        GatewayInstruments.RequestDuration.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        return request.Headers.IsOneWay ? null : response;
    }

    private async Task<byte[]> InvokeAsync(RequestFrame request, GrainCallRequest call, CancellationToken callCancelled, IncomingCallScope scope, CancellationToken connectionClosed)
    {
        GrainMethod method = call.Method;
        TimeSpan timeout = _options.RequestTimeout;
        bool callerDeadline = false;
        if (request.Headers.TimeoutMilliseconds > 0 && request.Headers.TimeoutMilliseconds < timeout.TotalMilliseconds)
        {
            timeout = TimeSpan.FromMilliseconds(request.Headers.TimeoutMilliseconds);
            callerDeadline = true;
        }

        using CancellationTokenSource? linked = callCancelled.CanBeCanceled ? CancellationTokenSource.CreateLinkedTokenSource(callCancelled, connectionClosed) : null;
        CancellationToken token = linked?.Token ?? connectionClosed;
        object? result;
        try
        {
            result = await invoker.InvokeAsync(call, token).AsTask().WaitAsync(timeout, token);
        }
        catch (TimeoutException) when (!token.IsCancellationRequested)
        {
            // The caller may see this answer before its own timer fires (both run out at about the same time): the
            // message names the caller's setting then, as the caller's own timeout does.
            throw new TimeoutException(callerDeadline
                ? $"Grain call {method.Key} on {request.Target} did not complete within the caller's ResponseTimeout {timeout}; the silo gateway stopped waiting for it."
                : $"Grain call {method.Key} on {request.Target} did not complete within the silo gateway's RequestTimeout {timeout}.");
        }

        byte[] payload;
        try
        {
            payload = method.ResultType == typeof(void) ? [] : serializer.SerializeToArray(result, method.ResultType, scope);
        }
        catch (Exception ex) when (CallPaths.Result(ex, method))
        {
            throw; // not reached: the filter only records the result in the error's member path
        }
        byte[] frame = GatewayFrameCodec.EncodeResponseOk(request.CorrelationId, payload);
        if (GatewayFrameCodec.FrameLength(frame) > _options.MaxFrameBytes)
        {
            throw new InvalidOperationException(
                $"The result of {method.Key} on {request.Target} is {payload.Length} bytes, more than the gateway's MaxFrameBytes of {_options.MaxFrameBytes}.");
        }

        return frame;
    }

    private byte[] EncodeError(RequestFrame request, Exception ex, IncomingCallScope scope)
    {
        (string type, string message) = ex is RemoteGrainException remote
            ? (remote.OriginalTypeName, remote.OriginalMessage)
            : (ex.GetType().FullName ?? ex.GetType().Name, ex.Message);
        LogRequestFailed(logger, request.CorrelationId, request.Target, request.MethodKey, type, message);
        byte[] exception;
        try
        {
            exception = serializer.SerializeToArray(ex, scope);
        }
        catch (SerializerException serializationError)
        {
            LogExceptionNotSerializable(logger, request.CorrelationId, type, serializationError.Message);
            exception = [];
        }

        byte[] frame = GatewayFrameCodec.EncodeResponseError(request.CorrelationId, exception, type, message);
        return GatewayFrameCodec.FrameLength(frame) <= _options.MaxFrameBytes
            ? frame
            : GatewayFrameCodec.EncodeResponseError(request.CorrelationId, type, Truncate(message));
    }

    private static string Truncate(string message) => message.Length <= 512 ? message : message[..512] + "...";

    private static Exception Unwrap(Exception ex) => ex is AggregateException { InnerExceptions.Count: 1 } aggregate ? Unwrap(aggregate.InnerExceptions[0]) : ex;

    [LoggerMessage(EventId = 2102, Level = LogLevel.Debug, Message = "Gateway request {CorrelationId} {Target} {MethodKey} abandoned: its connection closed")]
    private static partial void LogRequestAbandoned(ILogger logger, ulong correlationId, GrainId target, string methodKey);

    [LoggerMessage(EventId = 2101, Level = LogLevel.Debug, Message = "Gateway request {CorrelationId} {Target} {MethodKey} failed: {ErrorType}: {ErrorMessage}")]
    private static partial void LogRequestFailed(ILogger logger, ulong correlationId, GrainId target, string methodKey, string errorType, string errorMessage);

    [LoggerMessage(EventId = 2103, Level = LogLevel.Warning, Message = "Gateway request {CorrelationId}: its exception {ErrorType} cannot be serialized ({Reason}); the client gets its type name and message only")]
    private static partial void LogExceptionNotSerializable(ILogger logger, ulong correlationId, string errorType, string reason);
}
