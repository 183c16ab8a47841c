using System.Collections.Concurrent;
using System.Threading.Channels;
using Actors.Invocation;
using Actors.Runtime;
using Actors.Serialization;
using Actors.Wire;
using Microsoft.Extensions.Logging;

namespace Actors.Hosting.Gateway;

/// <summary>
/// The silo's calls to the observers hosted by the client of one gateway connection: they leave as Request frames on
/// that connection (correlation ids of the silo's own) and their Response frames come back on it.
/// </summary>
/// <remarks>
/// Thread-safe. A call waits at most <see cref="GatewayOptions.RequestTimeout"/> (<see cref="TimeoutException"/>); when
/// the connection closes, the calls waiting fail with <see cref="ClientNotAvailableException"/>. One-way calls (void or
/// <c>[OneWay]</c> methods) complete once queued.
/// </remarks>
internal sealed partial class ClientObserverCalls(
    ChannelWriter<byte[]> outbox,
    Serializer serializer,
    GatewayOptions options,
    ClientConnections clients,
    ILogger logger,
    long connectionId)
{
    private readonly ConcurrentDictionary<ulong, PendingObserverCall> _pending = new();
    private ulong _nextCorrelationId;
    private string? _clientId;
    private volatile bool _closed;

    /// <summary>Records the client id the client announced (ObserverHost frame) and makes its observers reachable.</summary>
    /// <exception cref="GatewayProtocolException">The client announced an id before.</exception>
    public void Host(string clientId)
    {
        if (Interlocked.CompareExchange(ref _clientId, clientId, null) is not null)
        {
            throw new GatewayProtocolException("a second ObserverHost frame (a connection hosts one client's observers)");
        }

        clients.Register(clientId, this);
        LogHosting(logger, connectionId, clientId);
    }

    /// <summary>Sends a call to one of the client's observers and returns its result (null for Task, ValueTask and one-way methods).</summary>
    public async ValueTask<object?> InvokeAsync(GrainCallRequest request, CancellationToken cancellationToken)
    {
        GrainMethod method = request.Method;
        var arguments = new byte[request.Arguments.Length][];
        for (int i = 0; i < arguments.Length; i++)
        {
            try
            {
                arguments[i] = serializer.SerializeToArray(request.Arguments[i], method.ParameterTypes[i]);
            }
            catch (Exception ex) when (CallPaths.Argument(ex, method, i))
            {
                throw; // not reached: the filter only records the parameter in the error's member path
            }
        }

        byte[] context = request.RequestContext is { Count: > 0 } values ? serializer.SerializeToArray(new Dictionary<string, object>(values)) : [];
        var headers = new RequestHeaders(
            method.IsOneWay ? RequestFlags.OneWay : RequestFlags.None,
            (uint)Math.Clamp(Math.Ceiling(options.RequestTimeout.TotalMilliseconds), 1, uint.MaxValue),
            0,
            [],
            context);
        ulong id = Interlocked.Increment(ref _nextCorrelationId);
        byte[] frame = GatewayFrameCodec.EncodeRequest(id, request.Target, method.Key, headers, arguments);
        if (method.IsOneWay)
        {
            return _closed || !outbox.TryWrite(frame) ? throw Gone(request) : null;
        }

        var call = new PendingObserverCall(method);
        _pending[id] = call;
        if (_closed || !outbox.TryWrite(frame))
        {
            _pending.TryRemove(id, out _);
            throw Gone(request);
        }

        try
        {
            return await call.Completion.Task.WaitAsync(options.RequestTimeout, cancellationToken);
        }
        catch (TimeoutException) when (!call.Completion.Task.IsCompleted)
        {
            throw new TimeoutException($"Observer {request.Target} of client '{_clientId}' did not answer {method.Key} within the gateway's RequestTimeout {options.RequestTimeout}.");
        }
        finally
        {
            _pending.TryRemove(id, out _);
        }
    }

    /// <summary>Completes the call a Response frame from the client answers (a late or unknown one is dropped).</summary>
    public void Complete(ResponseFrame response)
    {
        if (!_pending.TryRemove(response.CorrelationId, out PendingObserverCall? call))
        {
            LogLateResponse(logger, connectionId, response.CorrelationId);
            return;
        }

        try
        {
            if (response.Status == GatewayResponseStatus.Error)
            {
                call.Completion.TrySetException(response.Exception.Length > 0 && serializer.Deserialize<Exception>(response.Exception) is { } error
                    ? error
                    : new RemoteGrainException(response.ErrorType, response.ErrorMessage));
                return;
            }

            call.Completion.TrySetResult(call.Method.ResultType == typeof(void) ? null : serializer.Deserialize(response.Result, call.Method.ResultType));
        }
        catch (SerializerException ex) when (!CallPaths.Result(ex, call.Method))
        {
            call.Completion.TrySetException(response.Status == GatewayResponseStatus.Error ? new RemoteGrainException(response.ErrorType, response.ErrorMessage) : ex);
        }
    }

    /// <summary>The connection closed: the client's observers are unreachable through it and waiting calls fail.</summary>
    public void Close()
    {
        _closed = true;
        if (Volatile.Read(ref _clientId) is { } clientId)
        {
            clients.Unregister(clientId, this);
        }

        foreach (ulong id in _pending.Keys)
        {
            if (_pending.TryRemove(id, out PendingObserverCall? call))
            {
                call.Completion.TrySetException(new ClientNotAvailableException(
                    $"The gateway connection of client '{_clientId}' closed before its observer answered {call.Method.Key}."));
            }
        }
    }

    private ClientNotAvailableException Gone(GrainCallRequest request)
        => new($"The gateway connection of client '{_clientId}' is closed; call {request.Method.Key} to observer {request.Target} not delivered.");

    [LoggerMessage(EventId = 2010, Level = LogLevel.Debug, Message = "Gateway connection {ConnectionId} hosts the observers of client {ClientId}")]
    private static partial void LogHosting(ILogger logger, long connectionId, string clientId);

    [LoggerMessage(EventId = 2011, Level = LogLevel.Debug, Message = "Gateway connection {ConnectionId}: observer response {CorrelationId} arrived after its call gave up")]
    private static partial void LogLateResponse(ILogger logger, long connectionId, ulong correlationId);

    private sealed class PendingObserverCall(GrainMethod method)
    {
        public GrainMethod Method { get; } = method;

        public TaskCompletionSource<object?> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
