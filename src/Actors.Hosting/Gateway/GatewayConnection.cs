using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Channels;
using Actors.Wire;
using Microsoft.Extensions.Logging;

namespace Actors.Hosting.Gateway;

/// <summary>
/// One client connection: reads frames with <see cref="System.IO.Pipelines"/>, runs the handshake, dispatches
/// requests concurrently (up to <see cref="GatewayOptions.MaxConcurrentRequestsPerConnection"/>) and writes
/// responses from a single writer loop in completion order.
/// </summary>
/// <remarks>
/// Any protocol violation (bad length, truncated or malformed body, unknown kind, a frame before the handshake)
/// closes this connection only, with the reason logged. <see cref="CheckDeadlines"/> is called periodically by the
/// listener and aborts a connection whose handshake or current frame is overdue.
/// </remarks>
internal sealed partial class GatewayConnection
{
    /// <summary>How long a closing connection waits for its queued frames to be written before it cuts the socket.</summary>
    internal static readonly TimeSpan FinalFramesAllowance = TimeSpan.FromSeconds(5);

    private readonly Socket _socket;
    private readonly GatewayTls? _tls;
    private readonly GatewayOptions _options;
    private readonly GatewayRequestDispatcher _dispatcher;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _closed = new();
    private readonly Channel<byte[]> _outbox = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SemaphoreSlim _inFlight;
    private readonly GatewayCancellations _cancellations = new();
    private readonly ClientObserverCalls _observers;
    private readonly long _openedAt = Stopwatch.GetTimestamp();
    private long _frameStartedAt;
    private volatile bool _handshakeDone;
    private string? _abortReason;
    private PipeReader? _reader;
    private volatile bool _draining;
    private int _running;
    private TaskCompletionSource? _drained;
    private readonly Func<byte[]?> _routingTable;
    private volatile bool _routingRequested;

    public GatewayConnection(long id, Socket socket, GatewayOptions options, GatewayRequestDispatcher dispatcher, GatewayTls? tls, ILogger logger, Func<byte[]?>? routingTable = null)
    {
        _routingTable = routingTable ?? (static () => null);
        Id = id;
        _socket = socket;
        _tls = tls;
        _options = options;
        _dispatcher = dispatcher;
        _logger = logger;
        _inFlight = new SemaphoreSlim(options.MaxConcurrentRequestsPerConnection);
        RemoteEndPoint = socket.RemoteEndPoint as IPEndPoint;
        _observers = new ClientObserverCalls(_outbox.Writer, dispatcher.Serializer, options, dispatcher.Clients, logger, id);
    }

    /// <summary>The connection number (for logs).</summary>
    public long Id { get; }

    /// <summary>The client's endpoint.</summary>
    public IPEndPoint? RemoteEndPoint { get; }

    /// <summary>Runs the connection until the client leaves, a protocol error or timeout closes it, or <paramref name="stopping"/> fires.</summary>
    public async Task RunAsync(CancellationToken stopping)
    {
        Stream stream = new NetworkStream(_socket, ownsSocket: true);
        if (_tls is not null)
        {
            try
            {
                stream = await _tls.AuthenticateAsync(stream, _options.HandshakeTimeout, stopping);
            }
            catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or System.Security.Authentication.AuthenticationException)
            {
                GatewayInstruments.ConnectionsAborted.Add(1, new KeyValuePair<string, object?>("reason", "tls"));
                LogTlsFailed(_logger, Id, RemoteEndPoint, ex.Message);
                await stream.DisposeAsync();
                return;
            }
        }

        PipeReader reader = PipeReader.Create(stream, new StreamPipeReaderOptions(leaveOpen: true));
        _reader = reader;
        using CancellationTokenRegistration onStop = stopping.Register(BeginDrain);
        PipeWriter writer = PipeWriter.Create(stream, new StreamPipeWriterOptions(leaveOpen: true));
        Task writeLoop = WriteLoopAsync(writer);
        try
        {
            if (await ReadLoopAsync(reader))
            {
                if (_draining)
                {
                    await DrainAsync();
                }
                else
                {
                    LogClientClosed(_logger, Id, RemoteEndPoint);
                }
            }
        }
        catch (GatewayProtocolException ex)
        {
            GatewayInstruments.ConnectionsAborted.Add(1, new KeyValuePair<string, object?>("reason", "protocol"));
            LogProtocolError(_logger, Id, RemoteEndPoint, ex.Message);
        }
        catch (OperationCanceledException) when (_closed.IsCancellationRequested)
        {
            GatewayInstruments.ConnectionsAborted.Add(1, new KeyValuePair<string, object?>("reason", "aborted"));
            LogAborted(_logger, Id, RemoteEndPoint, _abortReason ?? "aborted");
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
        {
            LogTransportError(_logger, Id, RemoteEndPoint, ex.Message);
        }
        finally
        {
            _cancellations.CancelAll();
            _observers.Close();
            _outbox.Writer.TryComplete();
            // Let queued frames (the last responses, a Goodbye, a HelloRejected) leave, then cut the socket. Under load a
            // one-second allowance lost the Goodbye of a draining gateway, turning never-started requests into unknown
            // outcomes for the client; the silo-to-silo close uses the same allowance.
            await writeLoop.WaitAsync(FinalFramesAllowance).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            _closed.Cancel();
            await writeLoop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            await reader.CompleteAsync();
            await writer.CompleteAsync();
            await stream.DisposeAsync();
        }
    }

    /// <summary>Queues a new routing table frame when the client asked for routing tables (else nothing). Thread-safe.</summary>
    public void PushRoutingTable(byte[] frame)
    {
        if (_routingRequested && !_draining && !_closed.IsCancellationRequested)
        {
            _outbox.Writer.TryWrite(frame);
        }
    }

    /// <summary>Aborts the connection if its handshake or its current frame is overdue. Thread-safe.</summary>
    public void CheckDeadlines()
    {
        long now = Stopwatch.GetTimestamp();
        if (!_handshakeDone && Stopwatch.GetElapsedTime(_openedAt, now) > _options.HandshakeTimeout)
        {
            Abort($"no valid handshake within HandshakeTimeout {_options.HandshakeTimeout}");
            return;
        }

        long frameStarted = Interlocked.Read(ref _frameStartedAt);
        if (frameStarted != 0 && Stopwatch.GetElapsedTime(frameStarted, now) > _options.FrameReceiveTimeout)
        {
            Abort($"a frame did not arrive completely within FrameReceiveTimeout {_options.FrameReceiveTimeout}");
        }
    }

    /// <summary>
    /// Graceful stop: stops reading new requests; <see cref="RunAsync"/> then waits up to
    /// <see cref="GatewayOptions.DrainTimeout"/> for the requests already running and sends their responses before closing.
    /// </summary>
    private void BeginDrain()
    {
        _draining = true;
        _reader?.CancelPendingRead();
    }

    private async Task DrainAsync()
    {
        var drained = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _drained, drained);
        if (Volatile.Read(ref _running) == 0)
        {
            drained.TrySetResult();
        }

        int running = Volatile.Read(ref _running);
        LogDraining(_logger, Id, RemoteEndPoint, running);
        try
        {
            await drained.Task.WaitAsync(_options.DrainTimeout, _closed.Token);
            // Every started request has its response queued: tell the client that whatever else it sent was not started.
            _outbox.Writer.TryWrite(GatewayFrameCodec.EncodeGoodbye());
        }
        catch (TimeoutException)
        {
            Abort($"the gateway is stopping and {Volatile.Read(ref _running)} requests were still running after DrainTimeout {_options.DrainTimeout}");
            throw new OperationCanceledException(_closed.Token);
        }
    }

    /// <summary>Closes the connection with a reason (logged). Thread-safe; the first reason wins.</summary>
    public void Abort(string reason)
    {
        if (Interlocked.CompareExchange(ref _abortReason, reason, null) is null)
        {
            _closed.Cancel();
        }
    }

    /// <summary>Reads until the client closes (true) or the handshake is rejected (false).</summary>
    private async Task<bool> ReadLoopAsync(PipeReader reader)
    {
        CancellationToken token = _closed.Token;
        while (true)
        {
            ReadResult result = await reader.ReadAsync(token);
            if (_draining)
            {
                // Whatever arrived after the stop began is not started; the client sees the connection close.
                reader.AdvanceTo(result.Buffer.End);
                return true;
            }

            ReadOnlySequence<byte> buffer = result.Buffer;
            try
            {
                bool progressed = false;
                while (GatewayFrameCodec.TryReadFrame(ref buffer, _options.MaxFrameBytes, out GatewayFrameKind kind, out ReadOnlySequence<byte> body))
                {
                    progressed = true;
                    if (_draining)
                    {
                        return true;
                    }

                    if (!await HandleFrameAsync(kind, body, token))
                    {
                        return false;
                    }
                }

                // The frame deadline runs from when the first bytes of the incomplete frame were seen: reset between
                // frames, restarted when complete frames were consumed and a new partial one remains.
                if (buffer.IsEmpty)
                {
                    Interlocked.Exchange(ref _frameStartedAt, 0);
                }
                else if (progressed || Interlocked.Read(ref _frameStartedAt) == 0)
                {
                    Interlocked.Exchange(ref _frameStartedAt, Stopwatch.GetTimestamp());
                }

                if (result.IsCompleted)
                {
                    if (!buffer.IsEmpty)
                    {
                        throw new GatewayProtocolException($"truncated frame: the client closed the connection with {buffer.Length} bytes of an incomplete frame");
                    }

                    return true;
                }
            }
            finally
            {
                reader.AdvanceTo(buffer.Start, buffer.End);
            }
        }
    }

    /// <summary>Handles one frame; false when the connection must close after flushing (rejected handshake).</summary>
    private async ValueTask<bool> HandleFrameAsync(GatewayFrameKind kind, ReadOnlySequence<byte> body, CancellationToken token)
    {
        byte[]? rented = null;
        ReadOnlySpan<byte> span;
        if (body.IsSingleSegment)
        {
            span = body.FirstSpan;
        }
        else
        {
            rented = ArrayPool<byte>.Shared.Rent((int)body.Length);
            body.CopyTo(rented);
            span = rented.AsSpan(0, (int)body.Length);
        }

        try
        {
            if (!_handshakeDone)
            {
                if (kind != GatewayFrameKind.Hello)
                {
                    throw new GatewayProtocolException($"expected a Hello frame first, received kind {(byte)kind}");
                }

                return Handshake(GatewayFrameCodec.DecodeHello(span));
            }

            if (kind == GatewayFrameKind.Cancel)
            {
                _cancellations.Cancel(GatewayFrameCodec.DecodeCancel(span));
                return true;
            }

            if (kind == GatewayFrameKind.Response)
            {
                _observers.Complete(GatewayFrameCodec.DecodeResponse(span));
                return true;
            }

            if (kind == GatewayFrameKind.ObserverHost)
            {
                _observers.Host(GatewayFrameCodec.DecodeObserverHost(span));
                return true;
            }

            if (kind == GatewayFrameKind.RoutingRequest)
            {
                GatewayFrameCodec.DecodeRoutingRequest(span);
                _routingRequested = true;
                if (_routingTable() is { } table)
                {
                    _outbox.Writer.TryWrite(table);
                }

                return true;
            }

            if (kind != GatewayFrameKind.Request)
            {
                throw new GatewayProtocolException($"unexpected frame kind {(byte)kind} from a client (only Request, Cancel, Response, ObserverHost and RoutingRequest frames are valid after the handshake)");
            }

            RequestFrame request = GatewayFrameCodec.DecodeRequest(span);
            await _inFlight.WaitAsync(token);
            Interlocked.Increment(ref _running);
            // Arguments are read here, in frame order, so a Cancel frame that follows finds the tokens they import.
            var scope = new IncomingCallScope(_cancellations);
            PreparedRequest prepared = _dispatcher.Prepare(request, scope);
            _ = ProcessAsync(request, prepared, scope);
            return true;
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private bool Handshake(HelloFrame hello)
    {
        string? rejection = null;
        if (hello.ProtocolVersion is < GatewayFrameCodec.MinimumProtocolVersion or > GatewayFrameCodec.ProtocolVersion)
        {
            rejection = $"unsupported protocol version {hello.ProtocolVersion}; this silo speaks {GatewayFrameCodec.MinimumProtocolVersion} to {GatewayFrameCodec.ProtocolVersion}";
        }
        else if (!SecretMatches(hello.Secret))
        {
            rejection = string.IsNullOrEmpty(hello.Secret) ? "this gateway requires a shared secret" : "the shared secret is not valid";
        }

        if (rejection is not null)
        {
            _outbox.Writer.TryWrite(GatewayFrameCodec.EncodeHelloRejected(rejection));
            GatewayInstruments.ConnectionsAborted.Add(1, new KeyValuePair<string, object?>("reason", "rejected"));
            LogRejected(_logger, Id, RemoteEndPoint, rejection);
            return false;
        }

        _handshakeDone = true;
        _outbox.Writer.TryWrite(GatewayFrameCodec.EncodeHelloAccepted());
        LogHandshakeDone(_logger, Id, RemoteEndPoint);
        return true;
    }

    private bool SecretMatches(string presented)
    {
        if (string.IsNullOrEmpty(_options.Secret))
        {
            return true;
        }

        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), Encoding.UTF8.GetBytes(_options.Secret));
    }

    private async Task ProcessAsync(RequestFrame request, PreparedRequest prepared, IncomingCallScope scope)
    {
        try
        {
            byte[]? response = await _dispatcher.DispatchAsync(request, prepared, scope, _closed.Token);
            if (response is null || _closed.IsCancellationRequested || !_outbox.Writer.TryWrite(response))
            {
                LogResponseDropped(_logger, Id, request.CorrelationId);
            }
        }
        finally
        {
            scope.Dispose();
            _inFlight.Release();
            if (Interlocked.Decrement(ref _running) == 0 && _draining)
            {
                Volatile.Read(ref _drained)?.TrySetResult();
            }
        }
    }

    private async Task WriteLoopAsync(PipeWriter writer)
    {
        ChannelReader<byte[]> outbox = _outbox.Reader;
        CancellationToken token = _closed.Token;
        while (await outbox.WaitToReadAsync(token))
        {
            token.ThrowIfCancellationRequested();
            while (outbox.TryRead(out byte[]? frame))
            {
                writer.Write(frame);
            }

            FlushResult flush = await writer.FlushAsync(token);
            if (flush.IsCompleted || flush.IsCanceled)
            {
                return;
            }
        }
    }

    [LoggerMessage(EventId = 2001, Level = LogLevel.Warning, Message = "Gateway connection {ConnectionId} from {RemoteEndPoint} closed: protocol error: {Reason}")]
    private static partial void LogProtocolError(ILogger logger, long connectionId, IPEndPoint? remoteEndPoint, string reason);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "Gateway connection {ConnectionId} from {RemoteEndPoint} closed: {Reason}")]
    private static partial void LogAborted(ILogger logger, long connectionId, IPEndPoint? remoteEndPoint, string reason);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Warning, Message = "Gateway connection {ConnectionId} from {RemoteEndPoint} rejected: {Reason}")]
    private static partial void LogRejected(ILogger logger, long connectionId, IPEndPoint? remoteEndPoint, string reason);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Debug, Message = "Gateway connection {ConnectionId} from {RemoteEndPoint} closed by the client")]
    private static partial void LogClientClosed(ILogger logger, long connectionId, IPEndPoint? remoteEndPoint);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Debug, Message = "Gateway connection {ConnectionId} from {RemoteEndPoint} lost: {Reason}")]
    private static partial void LogTransportError(ILogger logger, long connectionId, IPEndPoint? remoteEndPoint, string reason);

    [LoggerMessage(EventId = 2006, Level = LogLevel.Debug, Message = "Gateway connection {ConnectionId} from {RemoteEndPoint} completed its handshake")]
    private static partial void LogHandshakeDone(ILogger logger, long connectionId, IPEndPoint? remoteEndPoint);

    [LoggerMessage(EventId = 2009, Level = LogLevel.Information, Message = "Gateway connection {ConnectionId} from {RemoteEndPoint} draining: waiting for {Running} running requests")]
    private static partial void LogDraining(ILogger logger, long connectionId, IPEndPoint? remoteEndPoint, int running);

    [LoggerMessage(EventId = 2007, Level = LogLevel.Trace, Message = "Gateway connection {ConnectionId}: response {CorrelationId} dropped, the connection is closed")]
    private static partial void LogResponseDropped(ILogger logger, long connectionId, ulong correlationId);

    [LoggerMessage(EventId = 2060, Level = LogLevel.Warning, Message = "Gateway connection {ConnectionId} from {RemoteEndPoint}: TLS handshake failed: {Reason}")]
    private static partial void LogTlsFailed(ILogger logger, long connectionId, IPEndPoint? remoteEndPoint, string reason);
}
