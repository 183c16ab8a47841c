using System.Buffers;
using System.Net;
using System.Net.Sockets;
using Actors.Hosting.Connections;
using Actors.Wire;
using Microsoft.Extensions.Logging;

namespace Actors.Hosting.Gateway;

/// <summary>
/// One client connection of the gateway, on <see cref="FramedConnection{TKind}"/> (frames read with Pipelines, one writer
/// loop, handshake and frame deadlines, graceful close): TLS when configured, the gateway frame layout, the handshake,
/// requests dispatched concurrently (up to <see cref="GatewayOptions.MaxConcurrentRequestsPerConnection"/>) whose
/// responses leave in completion order, routing tables pushed on request, and a drain that answers the requests already
/// started and then says Goodbye (the client knows every other request it sent was never started).
/// </summary>
/// <remarks>
/// Any protocol violation (bad length, truncated or malformed body, unknown kind, a frame before the handshake) closes
/// this connection only, with the reason logged. <see cref="FramedConnection{TKind}.CheckDeadlines"/> is called
/// periodically by the listener. The outbox is unbounded: requests are bounded by the concurrency limit instead.
/// </remarks>
internal sealed partial class GatewayConnection : FramedConnection<GatewayFrameKind>
{
    private readonly Socket _socket;
    private readonly GatewayTls? _tls;
    private readonly GatewayOptions _options;
    private readonly GatewayRequestDispatcher _dispatcher;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _inFlight;
    private readonly GatewayCancellations _cancellations = new();
    private readonly ClientObserverCalls _observers;
    private readonly Func<byte[]?> _routingTable;
    private int _running;
    private TaskCompletionSource? _drained;
    private volatile bool _draining;
    private volatile bool _routingRequested;

    public GatewayConnection(long id, Socket socket, GatewayOptions options, GatewayRequestDispatcher dispatcher, GatewayTls? tls, ILogger logger, Func<byte[]?>? routingTable = null)
        : base(new FramedConnectionLimits(options.MaxFrameBytes, options.HandshakeTimeout, options.FrameReceiveTimeout, OutboxCapacity: null))
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
        _observers = new ClientObserverCalls(Outbox, dispatcher.Serializer, options, dispatcher.Clients, logger, id);
    }

    /// <summary>The connection number (for logs).</summary>
    public long Id { get; }

    /// <summary>The client's endpoint.</summary>
    public IPEndPoint? RemoteEndPoint { get; }

    /// <summary>
    /// Runs the connection until the client leaves, a protocol error or timeout closes it, or <paramref name="stopping"/>
    /// fires (then it drains: see <see cref="OnReadingStoppedAsync"/>).
    /// </summary>
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
                await DisposeAsync();
                return;
            }
        }

        using CancellationTokenRegistration onStop = stopping.Register(BeginDrain);
        await RunFramesAsync(stream);
    }

    /// <summary>Queues a new routing table frame when the client asked for routing tables (else nothing). Thread-safe.</summary>
    public void PushRoutingTable(byte[] frame)
    {
        if (_routingRequested && !_draining && IsAlive)
        {
            Outbox.TryWrite(frame);
        }
    }

    /// <inheritdoc />
    protected override bool TryReadFrame(ref ReadOnlySequence<byte> buffer, out GatewayFrameKind kind, out ReadOnlySequence<byte> body)
        => GatewayFrameCodec.TryReadFrame(ref buffer, _options.MaxFrameBytes, out kind, out body);

    /// <inheritdoc />
    protected override bool IsProtocolViolation(Exception exception) => exception is GatewayProtocolException;

    /// <inheritdoc />
    protected override Exception ProtocolViolation(string message) => new GatewayProtocolException(message);

    /// <summary>Graceful stop: stops reading new requests; the requests already running get <see cref="GatewayOptions.DrainTimeout"/>.</summary>
    private void BeginDrain()
    {
        _draining = true;
        CloseGracefully(DateTimeOffset.UtcNow + _options.DrainTimeout);
    }

    /// <summary>
    /// Reading stopped for a drain: waits (until <paramref name="deadline"/>) for the requests already started, whose
    /// responses are then queued, and queues Goodbye: whatever else the client sent was not started. When they do not end
    /// in time the connection is aborted (their outcome is unknown to the client).
    /// </summary>
    protected override async ValueTask OnReadingStoppedAsync(DateTimeOffset deadline)
    {
        var drained = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _drained, drained);
        int running = Volatile.Read(ref _running);
        if (running == 0)
        {
            drained.TrySetResult();
        }

        LogDraining(_logger, Id, RemoteEndPoint, running);
        TimeSpan left = deadline - DateTimeOffset.UtcNow;
        try
        {
            await drained.Task.WaitAsync(left > TimeSpan.Zero ? left : TimeSpan.Zero, Closed);
            Outbox.TryWrite(GatewayFrameCodec.EncodeGoodbye());
        }
        catch (TimeoutException)
        {
            Abort($"the gateway is stopping and {Volatile.Read(ref _running)} requests were still running after DrainTimeout {_options.DrainTimeout}");
        }
    }

    /// <inheritdoc />
    protected override void OnClosed(string reason)
    {
        _cancellations.CancelAll();
        _observers.Close();
    }

    /// <inheritdoc />
    protected override void OnEnded(ReadEnd end, string reason)
    {
        switch (end)
        {
            case ReadEnd.PeerClosed:
                LogClientClosed(_logger, Id, RemoteEndPoint);
                break;
            case ReadEnd.ProtocolError:
                GatewayInstruments.ConnectionsAborted.Add(1, new KeyValuePair<string, object?>("reason", "protocol"));
                LogProtocolError(_logger, Id, RemoteEndPoint, reason);
                break;
            case ReadEnd.Aborted:
                GatewayInstruments.ConnectionsAborted.Add(1, new KeyValuePair<string, object?>("reason", "aborted"));
                LogAborted(_logger, Id, RemoteEndPoint, reason);
                break;
            case ReadEnd.TransportError:
                LogTransportError(_logger, Id, RemoteEndPoint, reason);
                break;
        }
    }

    [LoggerMessage(EventId = 2001, Level = LogLevel.Warning, Message = "Gateway connection {ConnectionId} from {RemoteEndPoint} closed: {Reason}")]
    private static partial void LogProtocolError(ILogger logger, long connectionId, IPEndPoint? remoteEndPoint, string reason);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "Gateway connection {ConnectionId} from {RemoteEndPoint} closed: {Reason}")]
    private static partial void LogAborted(ILogger logger, long connectionId, IPEndPoint? remoteEndPoint, string reason);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Debug, Message = "Gateway connection {ConnectionId} from {RemoteEndPoint} closed by the client")]
    private static partial void LogClientClosed(ILogger logger, long connectionId, IPEndPoint? remoteEndPoint);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Debug, Message = "Gateway connection {ConnectionId} from {RemoteEndPoint} lost: {Reason}")]
    private static partial void LogTransportError(ILogger logger, long connectionId, IPEndPoint? remoteEndPoint, string reason);

    [LoggerMessage(EventId = 2009, Level = LogLevel.Information, Message = "Gateway connection {ConnectionId} from {RemoteEndPoint} draining: waiting for {Running} running requests")]
    private static partial void LogDraining(ILogger logger, long connectionId, IPEndPoint? remoteEndPoint, int running);

    [LoggerMessage(EventId = 2060, Level = LogLevel.Warning, Message = "Gateway connection {ConnectionId} from {RemoteEndPoint}: TLS handshake failed: {Reason}")]
    private static partial void LogTlsFailed(ILogger logger, long connectionId, IPEndPoint? remoteEndPoint, string reason);
}
