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

    /// <summary>Connects, sends the Hello and waits for the gateway's answer, all within <see cref="ClientOptions.ConnectTimeout"/>.</summary>
    /// <exception cref="GatewayRejectedException">The gateway refused the handshake.</exception>
    /// <exception cref="TimeoutException">The connect or handshake took longer than the connect timeout.</exception>
    /// <remarks>
    /// After the handshake the connection announces <paramref name="observers"/>' owner (ObserverHost), so the silo sends
    /// calls to this client's observers on it; with <paramref name="onRoutingTable"/> it also asks a gateway that speaks
    /// the routing frames for its routing table and hands every table it receives to that callback (on the reader).
    /// </remarks>
    public static async Task<GatewayClientConnection> ConnectAsync(
        string endpoint, EndPoint address, ClientOptions options, Serializer serializer, ObserverRegistry observers, Action<GatewayRoutingTable>? onRoutingTable, ILogger logger, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.ConnectTimeout);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        GatewayClientConnection? connection = null;
        try
        {
            await socket.ConnectAsync(address, timeout.Token);
            Stream stream = new NetworkStream(socket, ownsSocket: true);
            if (options.Tls.Enabled)
            {
                stream = await AuthenticateAsync(stream, endpoint, options.Tls, timeout.Token);
            }

            connection = new GatewayClientConnection(endpoint, socket, stream, options, serializer, observers, onRoutingTable, logger);
            await connection.HandshakeAsync(timeout.Token);
            connection.Start();
            return connection;
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            await DisposeFailedAsync(socket, connection);
            throw new TimeoutException($"Connecting to the silo gateway at {endpoint} took longer than ConnectTimeout {options.ConnectTimeout}.");
        }
        catch
        {
            await DisposeFailedAsync(socket, connection);
            throw;
        }
    }

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

    /// <exception cref="GatewayRejectedException">The TLS handshake failed: the gateway's certificate is not trusted, or it does not speak TLS.</exception>
    private static async Task<Stream> AuthenticateAsync(Stream stream, string endpoint, ClientTlsOptions tls, CancellationToken cancellationToken)
    {
        var pins = new PinnedCertificates(tls.AllowedServerThumbprints);
        var ssl = new SslStream(stream, leaveInnerStreamOpen: false, pins.Validate);
        try
        {
            await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = tls.TargetHost ?? endpoint[..Math.Max(0, endpoint.LastIndexOf(':'))].Trim('[', ']'),
                EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            }, cancellationToken);
            return ssl;
        }
        catch (AuthenticationException ex)
        {
            await ssl.DisposeAsync();
            throw new GatewayRejectedException(endpoint, "the TLS handshake failed (ClientOptions.Tls): " + ex.Message);
        }
        catch
        {
            await ssl.DisposeAsync();
            throw;
        }
    }

    private static async Task DisposeFailedAsync(Socket socket, GatewayClientConnection? connection)
    {
        if (connection is not null)
        {
            await connection._reader.CompleteAsync();
            await connection._writer.CompleteAsync();
            await connection._stream.DisposeAsync();
        }

        socket.Dispose();
    }

    private async Task HandshakeAsync(CancellationToken cancellationToken)
    {
        _writer.Write(GatewayFrameCodec.EncodeHello(_options.Secret ?? string.Empty));
        await _writer.FlushAsync(cancellationToken);
        while (true)
        {
            ReadResult result = await _reader.ReadAsync(cancellationToken);
            ReadOnlySequence<byte> buffer = result.Buffer;
            if (GatewayFrameCodec.TryReadFrame(ref buffer, _options.MaxFrameBytes, out GatewayFrameKind kind, out ReadOnlySequence<byte> body))
            {
                byte[] bytes = body.ToArray();
                _reader.AdvanceTo(buffer.Start);
                switch (kind)
                {
                    case GatewayFrameKind.HelloAccepted:
                        _gatewayVersion = GatewayFrameCodec.DecodeHelloAccepted(bytes);
                        return;
                    case GatewayFrameKind.HelloRejected:
                        throw new GatewayRejectedException(Endpoint, GatewayFrameCodec.DecodeHelloRejected(bytes));
                    default:
                        throw new GatewayProtocolException($"expected the gateway's handshake answer, received frame kind {(byte)kind}");
                }
            }

            _reader.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted)
            {
                throw new IOException($"The silo gateway at {Endpoint} closed the connection during the handshake.");
            }
        }
    }

    private void Start()
    {
        _outbox.Writer.TryWrite(new OutgoingFrame(GatewayFrameCodec.EncodeObserverHost(_observers.Owner), null));
        if (_onRoutingTable is not null && _gatewayVersion >= GatewayFrameCodec.RoutingProtocolVersion)
        {
            _outbox.Writer.TryWrite(new OutgoingFrame(GatewayFrameCodec.EncodeRoutingRequest(), null));
        }

        _readLoop = Task.Run(ReadLoopAsync);
        _writeLoop = Task.Run(WriteLoopAsync);
    }

    private async Task ReadLoopAsync()
    {
        string reason = "the gateway closed the connection";
        Exception? error = null;
        try
        {
            while (true)
            {
                ReadResult result = await _reader.ReadAsync(_closed.Token);
                ReadOnlySequence<byte> buffer = result.Buffer;
                while (GatewayFrameCodec.TryReadFrame(ref buffer, _options.MaxFrameBytes, out GatewayFrameKind kind, out ReadOnlySequence<byte> body))
                {
                    if (kind == GatewayFrameKind.Goodbye)
                    {
                        GatewayFrameCodec.DecodeGoodbye(body.IsSingleSegment ? body.FirstSpan : body.ToArray());
                        _saidGoodbye = true;
                        reason = "the silo gateway is stopping (Goodbye)";
                        Close(reason);
                        break;
                    }

                    if (kind == GatewayFrameKind.Request)
                    {
                        _observerRequests.Handle(Decode(body, GatewayFrameCodec.DecodeRequest));
                        continue;
                    }

                    if (kind == GatewayFrameKind.RoutingTable && _onRoutingTable is not null)
                    {
                        _onRoutingTable(Decode(body, GatewayFrameCodec.DecodeRoutingTable));
                        continue;
                    }

                    if (kind != GatewayFrameKind.Response)
                    {
                        throw new GatewayProtocolException($"unexpected frame kind {(byte)kind} from the gateway");
                    }

                    Complete(Decode(body, GatewayFrameCodec.DecodeResponse));
                }

                _reader.AdvanceTo(buffer.Start, buffer.End);
                if (result.IsCompleted || _saidGoodbye)
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (_closed.IsCancellationRequested)
        {
            reason = _closeReason ?? "closed";
        }
        catch (ObjectDisposedException) when (_saidGoodbye)
        {
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or GatewayProtocolException)
        {
            reason = ex.Message;
            error = ex;
        }

        Close(reason);
        LogConnectionClosed(_logger, Endpoint, reason);
        foreach (ulong id in _pending.Keys)
        {
            if (_pending.TryRemove(id, out PendingCall? call))
            {
                // After a Goodbye every started request has had its response: the rest never ran and may be sent again;
                // so may a request whose frame never reached the socket.
                call.Completion.TrySetException(_saidGoodbye || !call.Sent
                    ? new GatewayRequestNotStartedException(Endpoint, reason)
                    : new GatewayConnectionLostException(Endpoint, reason, error));
            }
        }

        await _reader.CompleteAsync();
        await _writeLoop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await _writer.CompleteAsync();
        await _stream.DisposeAsync();
    }

    private static T Decode<T>(ReadOnlySequence<byte> body, SpanDecoder<T> decode)
    {
        if (body.IsSingleSegment)
        {
            return decode(body.FirstSpan);
        }

        byte[] rented = ArrayPool<byte>.Shared.Rent((int)body.Length);
        try
        {
            body.CopyTo(rented);
            return decode(rented.AsSpan(0, (int)body.Length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private void Complete(ResponseFrame response)
    {
        if (!_pending.TryRemove(response.CorrelationId, out PendingCall? call))
        {
            LogLateResponse(_logger, Endpoint, response.CorrelationId);
            return;
        }

        if (response.Status == GatewayResponseStatus.Error)
        {
            call.Completion.TrySetException(ReadException(response));
            return;
        }

        try
        {
            object? value = call.Method.ResultType == typeof(void) ? null : _serializer.Deserialize(response.Result, call.Method.ResultType, call.Scope);
            call.Completion.TrySetResult(value);
        }
        catch (SerializerException ex) when (!CallPaths.Result(ex, call.Method))
        {
            call.Completion.TrySetException(ex);
        }
    }

    /// <summary>The exception the grain threw, as its own type when this process has it (else the serializer's typed fallback).</summary>
    private Exception ReadException(ResponseFrame response)
    {
        if (response.Exception.Length > 0)
        {
            try
            {
                if (_serializer.Deserialize<Exception>(response.Exception) is { } exception)
                {
                    return exception;
                }
            }
            catch (SerializerException ex)
            {
                LogExceptionUnreadable(_logger, Endpoint, response.ErrorType, ex.Message);
            }
        }

        // A partition without a live owner keeps its type even when its serialized form is unreadable (callers catch it to retry after a restart).
        return response.ErrorType == typeof(PartitionUnavailableException).FullName && PartitionUnavailableException.TryParse(response.ErrorMessage, out PartitionUnavailableException? unavailable)
            ? unavailable!
            : new RemoteGrainException(response.ErrorType, response.ErrorMessage);
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

    private delegate T SpanDecoder<out T>(ReadOnlySpan<byte> body);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Connection to the silo gateway at {Endpoint} closed: {Reason}")]
    private static partial void LogConnectionClosed(ILogger logger, string endpoint, string reason);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Debug, Message = "Response {CorrelationId} from {Endpoint} arrived after its call gave up")]
    private static partial void LogLateResponse(ILogger logger, string endpoint, ulong correlationId);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Warning, Message = "An exception of type {ErrorType} from {Endpoint} could not be read ({Reason}); the call fails with RemoteGrainException")]
    private static partial void LogExceptionUnreadable(ILogger logger, string endpoint, string errorType, string reason);

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
