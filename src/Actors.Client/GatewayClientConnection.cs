using System.Buffers;
using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Threading.Channels;
using Actors.Invocation;
using Actors.Security;
using Actors.Serialization;
using Actors.Wire;
using Microsoft.Extensions.Logging;

namespace Actors.Client;

/// <summary>
/// One handshaken TCP connection to a gateway. Many calls share it: each request gets a correlation id, a single
/// writer loop sends frames (batching flushes), a reader loop completes pending calls as responses arrive in any order.
/// </summary>
/// <remarks>
/// The reader alone decides what became of the calls in flight when the connection ends: after a Goodbye every
/// unanswered call is known not to have started (<see cref="GatewayRequestNotStartedException"/>: the owner sends it
/// again), and so is a call whose frame was never handed to the socket; any other unanswered call fails with
/// <see cref="GatewayConnectionLostException"/> (outcome unknown). A failed send only stops sending (<see cref="IsAlive"/>
/// turns false): the Goodbye of a gateway that closed may still wait to be read behind it. The owner then opens a new
/// connection and retires this one with <see cref="RetireAsync"/>.
/// </remarks>
internal sealed partial class GatewayClientConnection : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly Stream _stream;
    private readonly PipeReader _reader;
    private readonly PipeWriter _writer;
    private readonly ClientOptions _options;
    private readonly Serializer _serializer;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<ulong, PendingCall> _pending = new();
    private readonly Channel<OutgoingFrame> _outbox = Channel.CreateUnbounded<OutgoingFrame>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _closed = new();
    private readonly ObserverRegistry _observers;
    private readonly ObserverRequestHandler _observerRequests;
    private readonly Action<GatewayRoutingTable>? _onRoutingTable;
    private ushort _gatewayVersion;
    private Task _readLoop = Task.CompletedTask;
    private Task _writeLoop = Task.CompletedTask;
    private ulong _nextCorrelationId;
    private ulong _nextCancellationId;
    private string? _closeReason;
    private string? _sendFailure;
    private volatile bool _saidGoodbye;

    private GatewayClientConnection(string endpoint, Socket socket, Stream stream, ClientOptions options, Serializer serializer, ObserverRegistry observers, Action<GatewayRoutingTable>? onRoutingTable, ILogger logger)
    {
        _onRoutingTable = onRoutingTable;
        Endpoint = endpoint;
        _socket = socket;
        _stream = stream;
        _reader = PipeReader.Create(_stream, new StreamPipeReaderOptions(leaveOpen: true));
        _writer = PipeWriter.Create(_stream, new StreamPipeWriterOptions(leaveOpen: true));
        _options = options;
        _serializer = serializer;
        _logger = logger;
        _observers = observers;
        _observerRequests = new ObserverRequestHandler(observers, serializer, frame => _outbox.Writer.TryWrite(new OutgoingFrame(frame, null)), logger);
    }

    /// <summary>The gateway endpoint as configured.</summary>
    public string Endpoint { get; }

    /// <summary>True until the connection ends or a send on it fails.</summary>
    public bool IsAlive => Volatile.Read(ref _closeReason) is null && Volatile.Read(ref _sendFailure) is null;

    /// <summary>Why the connection takes no more calls (null while it does).</summary>
    private string? EndReason => Volatile.Read(ref _closeReason) ?? Volatile.Read(ref _sendFailure);

    /// <summary>Sends one call and awaits its response.</summary>
    /// <exception cref="SerializerException">An argument cannot be serialized (nothing was sent), or the result cannot be read.</exception>
    /// <exception cref="GatewayRequestNotStartedException">The request certainly did not run: the caller may send it again.</exception>
    /// <exception cref="GatewayConnectionLostException">The connection ended with the call in flight (outcome unknown).</exception>
    public async Task<object?> InvokeAsync(GrainCallRequest request, CancellationToken cancellationToken)
    {
        GrainMethod method = request.Method;
        using var scope = new OutgoingCallScope(this);
        byte[] frame = EncodeRequest(request, scope, cancellationToken, out ulong id);
        if (GatewayFrameCodec.FrameLength(frame) > _options.MaxFrameBytes)
        {
            throw new InvalidOperationException(
                $"The call {method.Key} on {request.Target} encodes to {frame.Length} bytes, more than the client's MaxFrameBytes of {_options.MaxFrameBytes}.");
        }

        if (method.IsOneWay)
        {
            // [OneWay]: the request carries the one-way flag, so the gateway runs it and sends no response.
            if (!IsAlive || !_outbox.Writer.TryWrite(new OutgoingFrame(frame, null)))
            {
                throw new GatewayRequestNotStartedException(Endpoint, EndReason ?? "closed");
            }

            return null;
        }

        var pending = new PendingCall(method, scope);
        _pending[id] = pending;
        if (!IsAlive || !_outbox.Writer.TryWrite(new OutgoingFrame(frame, pending)))
        {
            _pending.TryRemove(id, out _);
            throw new GatewayRequestNotStartedException(Endpoint, EndReason ?? "closed");
        }

        scope.Activate();
        try
        {
            return await pending.Completion.Task.WaitAsync(_options.ResponseTimeout, cancellationToken);
        }
        catch (TimeoutException) when (!pending.Completion.Task.IsCompleted)
        {
            _pending.TryRemove(id, out _);
            throw new TimeoutException(
                $"No response from the silo gateway at {Endpoint} to {method.Key} on {request.Target} within ResponseTimeout {_options.ResponseTimeout}.");
        }
        catch (TimeoutException)
        {
            // The answer arrived as the timer ran out (the gateway stops waiting at the same deadline and answers with its
            // own timeout, which names ResponseTimeout): that answer is the call's outcome, not the timer's bare
            // "The operation has timed out." (seen under load in ClientConnectionTests).
            return await pending.Completion.Task;
        }
        catch (OperationCanceledException) when (!pending.Completion.Task.IsCompleted)
        {
            _pending.TryRemove(id, out _);
            throw;
        }
    }

    /// <summary>A new id for a token exported on this connection (never 0).</summary>
    public ulong NextCancellationId() => Interlocked.Increment(ref _nextCancellationId);

    /// <summary>Queues a Cancel frame (dropped when the connection is closed: the silo cancels everything of a closed connection).</summary>
    public void SendCancel(ulong cancellationId) => _outbox.Writer.TryWrite(new OutgoingFrame(GatewayFrameCodec.EncodeCancel(cancellationId), null));

    private byte[] EncodeRequest(GrainCallRequest request, OutgoingCallScope scope, CancellationToken cancellationToken, out ulong id)
    {
        GrainMethod method = request.Method;
        var arguments = new byte[request.Arguments.Length][];
        for (int i = 0; i < arguments.Length; i++)
        {
            try
            {
                arguments[i] = _serializer.SerializeToArray(request.Arguments[i], method.ParameterTypes[i], scope);
            }
            catch (Exception ex) when (CallPaths.Argument(ex, method, i))
            {
                throw; // not reached: the filter only records the parameter in the error's member path
            }
        }

        byte[] requestContext = request.RequestContext is { Count: > 0 } context
            ? _serializer.SerializeToArray(new Dictionary<string, object>(context), scope)
            : [];
        var headers = new RequestHeaders(
            method.IsOneWay ? RequestFlags.OneWay : RequestFlags.None,
            (uint)Math.Clamp(Math.Ceiling(_options.ResponseTimeout.TotalMilliseconds), 1, uint.MaxValue),
            cancellationToken.CanBeCanceled ? scope.Export(cancellationToken) : 0,
            [],
            requestContext);
        id = Interlocked.Increment(ref _nextCorrelationId);
        return GatewayFrameCodec.EncodeRequest(id, request.Target, method.Key, headers, arguments);
    }

    /// <summary>
    /// Ends a connection that takes no more calls once its reader has read to the end (a Goodbye, the gateway's close or
    /// an error), so every call in flight learns what became of it; after <paramref name="allowance"/> it is cut.
    /// </summary>
    public async ValueTask RetireAsync(TimeSpan allowance)
    {
        await _readLoop.WaitAsync(allowance).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await DisposeAsync();
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        Close("the client was disposed");
        await _readLoop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await _writeLoop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private async Task WriteLoopAsync()
    {
        ChannelReader<OutgoingFrame> outbox = _outbox.Reader;
        try
        {
            while (await outbox.WaitToReadAsync(_closed.Token))
            {
                while (outbox.TryRead(out OutgoingFrame frame))
                {
                    // Marked before the bytes can reach the socket: from here on the gateway may run the call.
                    frame.Call?.MarkSent();
                    _writer.Write(frame.Bytes);
                }

                FlushResult flush = await _writer.FlushAsync(_closed.Token);
                if (flush.IsCompleted)
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (_closed.IsCancellationRequested)
        {
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
        {
            // A gateway that said Goodbye and closed makes a later send fail (its end answers with a reset) while the
            // Goodbye may still wait to be read: stop sending, but leave the calls in flight to the reader.
            Interlocked.CompareExchange(ref _sendFailure, ex.Message, null);
            _outbox.Writer.TryComplete();
            LogSendFailed(_logger, Endpoint, ex.Message);
        }
    }

    private void Close(string reason)
    {
        if (Interlocked.CompareExchange(ref _closeReason, reason, null) is null)
        {
            _outbox.Writer.TryComplete();
            _closed.Cancel();
            _socket.Dispose();
        }
    }

    [LoggerMessage(EventId = 3004, Level = LogLevel.Debug, Message = "Sending to the silo gateway at {Endpoint} failed ({Reason}); the connection takes no more calls and is read to its end")]
    private static partial void LogSendFailed(ILogger logger, string endpoint, string reason);

    /// <summary>A frame waiting in the outbox, with the call it starts (null for frames that start none).</summary>
    private readonly record struct OutgoingFrame(byte[] Bytes, PendingCall? Call);

    private sealed class PendingCall(GrainMethod method, OutgoingCallScope scope)
    {
        private volatile bool _sent;

        public GrainMethod Method { get; } = method;

        public OutgoingCallScope Scope { get; } = scope;

        public TaskCompletionSource<object?> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Whether the request's frame was handed to the socket (the gateway may have run it).</summary>
        public bool Sent => _sent;

        public void MarkSent() => _sent = true;
    }
}
