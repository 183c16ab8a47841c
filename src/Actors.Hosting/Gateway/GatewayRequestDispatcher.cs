using System.Diagnostics;
using Actors.Invocation;
using Actors.Serialization;
using Actors.Wire;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Actors.Hosting.Gateway;

/// <summary>
/// Turns one decoded request frame into one encoded response frame: resolves the method in the
/// <see cref="GrainMethodRegistry"/>, deserializes the arguments by parameter type, calls the silo's
/// <see cref="IGrainCallInvoker"/> within <see cref="GatewayOptions.RequestTimeout"/> and serializes the result.
/// Never throws: every failure becomes an error response carrying the exception's type full name and message.
/// </summary>
internal sealed partial class GatewayRequestDispatcher(
    GrainMethodRegistry registry,
    IGrainCallInvoker invoker,
    IGrainSerializer serializer,
    IOptions<GatewayOptions> options,
    ILogger<GatewayRequestDispatcher> logger)
{
    private readonly GatewayOptions _options = options.Value;

    /// <summary>Executes the request and returns the encoded response frame, or null when the connection closed meanwhile (nobody to answer).</summary>
    public async Task<byte[]?> DispatchAsync(RequestFrame request, CancellationToken connectionClosed)
    {
        long started = Stopwatch.GetTimestamp();
        GatewayInstruments.Requests.Add(1);
        byte[] response;
        try
        {
            response = await InvokeAsync(request, connectionClosed);
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
            (string type, string message) = Describe(ex);
            LogRequestFailed(logger, request.CorrelationId, request.Target, request.MethodKey, type, message);
            response = GatewayFrameCodec.EncodeResponseError(request.CorrelationId, type, message);
        }

        GatewayInstruments.RequestDuration.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        return response;
    }

    private async Task<byte[]> InvokeAsync(RequestFrame request, CancellationToken connectionClosed)
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
            arguments[i] = serializer.Deserialize(request.Arguments[i], method.ParameterTypes[i]);
        }

        var call = new GrainCallRequest(request.Target, method, arguments) { IsForwarded = true };
        object? result;
        try
        {
            result = await invoker.InvokeAsync(call, connectionClosed).AsTask().WaitAsync(_options.RequestTimeout, connectionClosed);
        }
        catch (TimeoutException) when (!connectionClosed.IsCancellationRequested)
        {
            throw new TimeoutException(
                $"Grain call {method.Key} on {request.Target} did not complete within the gateway's RequestTimeout of {_options.RequestTimeout}.");
        }

        byte[] payload = method.ResultType == typeof(void) ? [] : serializer.Serialize(result, method.ResultType);
        byte[] frame = GatewayFrameCodec.EncodeResponseOk(request.CorrelationId, payload);
        if (GatewayFrameCodec.FrameLength(frame) > _options.MaxFrameBytes)
        {
            throw new InvalidOperationException(
                $"The result of {method.Key} on {request.Target} is {payload.Length} bytes, more than the gateway's MaxFrameBytes of {_options.MaxFrameBytes}.");
        }

        return frame;
    }

    private static (string Type, string Message) Describe(Exception ex) => ex switch
    {
        RemoteGrainException remote => (remote.OriginalTypeName, remote.OriginalMessage),
        AggregateException { InnerExceptions.Count: 1 } aggregate => Describe(aggregate.InnerExceptions[0]),
        _ => (ex.GetType().FullName ?? ex.GetType().Name, ex.Message),
    };

    [LoggerMessage(EventId = 2102, Level = LogLevel.Debug, Message = "Gateway request {CorrelationId} {Target} {MethodKey} abandoned: its connection closed")]
    private static partial void LogRequestAbandoned(ILogger logger, ulong correlationId, GrainId target, string methodKey);

    [LoggerMessage(EventId = 2101, Level = LogLevel.Debug, Message = "Gateway request {CorrelationId} {Target} {MethodKey} failed: {ErrorType}: {ErrorMessage}")]
    private static partial void LogRequestFailed(ILogger logger, ulong correlationId, GrainId target, string methodKey, string errorType, string errorMessage);
}
