using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Actors.Hosting.Gateway;

/// <summary>
/// The gateway's TCP listener: binds in <see cref="StartAsync"/> (so a port in use fails the host's start), accepts
/// connections in a background loop, runs one <see cref="GatewayConnection"/> per client and sweeps handshake and
/// frame deadlines. <see cref="StopAsync"/> stops accepting and closes every connection.
/// </summary>
internal sealed partial class GatewayListener(
    IOptions<GatewayOptions> options,
    GatewayRequestDispatcher dispatcher,
    ILogger<GatewayListener> logger,
    IGatewayRoutingSource? routing = null) : IHostedService, IGatewayInfo, IAsyncDisposable
{
    private byte[]? _routingFrame;
    private long _routingFrameVersion = -1;
    private readonly GatewayOptions _options = options.Value;
    private readonly ConcurrentDictionary<long, (GatewayConnection Connection, Task Run)> _connections = new();
    private readonly CancellationTokenSource _stopping = new();
    private Socket? _socket;
    private Task? _acceptLoop;
    private Task? _sweepLoop;
    private long _nextConnectionId;
    private GatewayTls? _tls;

    /// <inheritdoc />
    public IPEndPoint? ListeningEndPoint { get; private set; }

    /// <inheritdoc />
    public int ActiveConnections => _connections.Count;

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var endPoint = new IPEndPoint(IPAddress.Parse(_options.BindAddress), _options.Port);
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (endPoint.AddressFamily == AddressFamily.InterNetworkV6 && endPoint.Address.Equals(IPAddress.IPv6Any))
            {
                socket.DualMode = true;
            }

            socket.Bind(endPoint);
            socket.Listen(512);
        }
        catch (SocketException ex)
        {
            socket.Dispose();
            throw new InvalidOperationException(
                $"The gateway cannot listen on {endPoint} (Actors:Gateway:BindAddress / Actors:Gateway:Port): {ex.Message}", ex);
        }

        _socket = socket;
        _tls ??= _options.Tls.Enabled ? new GatewayTls(_options.Tls) : null;
        if (routing is not null)
        {
            routing.Changed += OnRoutingChanged;
        }

        ListeningEndPoint = (IPEndPoint)socket.LocalEndPoint!;
        LogListening(logger, ListeningEndPoint, !string.IsNullOrEmpty(_options.Secret));
        _acceptLoop = Task.Run(AcceptLoopAsync, CancellationToken.None);
        _sweepLoop = Task.Run(SweepLoopAsync, CancellationToken.None);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_socket is null)
        {
            return;
        }

        if (routing is not null)
        {
            routing.Changed -= OnRoutingChanged;
        }

        await _stopping.CancelAsync();
        _socket.Dispose();
        if (_acceptLoop is not null)
        {
            await _acceptLoop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        if (_sweepLoop is not null)
        {
            await _sweepLoop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        Task[] running = _connections.Values.Select(c => c.Run).ToArray();
        await Task.WhenAll(running).WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        LogStopped(logger, ListeningEndPoint, running.Length);
        ListeningEndPoint = null;
        _socket = null;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None);
        _tls?.Dispose();
        _stopping.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        Socket listener = _socket!;
        CancellationToken stopping = _stopping.Token;
        while (!stopping.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptAsync(stopping);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException || (ex is SocketException && stopping.IsCancellationRequested))
            {
                return;
            }
            catch (SocketException ex)
            {
                // A client that reset before we accepted it, or a transient resource shortage: keep accepting.
                LogAcceptFailed(logger, ex.SocketErrorCode, ex.Message);
                continue;
            }

            if (_connections.Count >= _options.MaxConnections)
            {
                GatewayInstruments.ConnectionsAborted.Add(1, new KeyValuePair<string, object?>("reason", "limit"));
                LogTooManyConnections(logger, client.RemoteEndPoint as IPEndPoint, _options.MaxConnections);
                client.Dispose();
                continue;
            }

            client.NoDelay = true;
            long id = Interlocked.Increment(ref _nextConnectionId);
            var connection = new GatewayConnection(id, client, _options, dispatcher, _tls, logger, CurrentRoutingFrame);
            GatewayInstruments.ConnectionsOpened.Add(1);
            GatewayInstruments.ConnectionsActive.Add(1);
            var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Task run = RunConnectionAsync(connection, started.Task, stopping);
            _connections[id] = (connection, run);
            started.SetResult();
        }
    }

    private async Task RunConnectionAsync(GatewayConnection connection, Task registered, CancellationToken stopping)
    {
        await registered;
        try
        {
            await connection.RunAsync(stopping);
        }
        catch (Exception ex)
        {
            // RunAsync handles protocol and transport errors itself; anything else is a gateway bug, isolated to this connection.
            LogConnectionCrashed(logger, ex, connection.Id);
        }
        finally
        {
            _connections.TryRemove(connection.Id, out _);
            GatewayInstruments.ConnectionsActive.Add(-1);
        }
    }

    /// <summary>The current routing table's frame, encoded once per table version (null without a table).</summary>
    private byte[]? CurrentRoutingFrame()
    {
        if (routing?.Current is not { } table)
        {
            return null;
        }

        lock (_connections)
        {
            if (_routingFrameVersion != table.Version || _routingFrame is null)
            {
                _routingFrame = Wire.GatewayFrameCodec.EncodeRoutingTable(table);
                _routingFrameVersion = table.Version;
            }

            return _routingFrame;
        }
    }

    private void OnRoutingChanged()
    {
        if (CurrentRoutingFrame() is not { } frame)
        {
            return;
        }

        foreach ((GatewayConnection connection, Task _) in _connections.Values)
        {
            connection.PushRoutingTable(frame);
        }
    }

    private async Task SweepLoopAsync()
    {
        TimeSpan shortest = new[] { _options.HandshakeTimeout, _options.FrameReceiveTimeout }.Min();
        TimeSpan period = TimeSpan.FromTicks(Math.Clamp(shortest.Ticks / 4, TimeSpan.FromMilliseconds(10).Ticks, TimeSpan.FromSeconds(1).Ticks));
        using var timer = new PeriodicTimer(period);
        try
        {
            while (await timer.WaitForNextTickAsync(_stopping.Token))
            {
                foreach ((GatewayConnection connection, Task _) in _connections.Values)
                {
                    connection.CheckDeadlines();
                }
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            LogSweepStopped(logger);
        }
    }

    [LoggerMessage(EventId = 2050, Level = LogLevel.Information, Message = "Gateway listening on {EndPoint} (shared secret required: {SecretRequired})")]
    private static partial void LogListening(ILogger logger, IPEndPoint endPoint, bool secretRequired);

    [LoggerMessage(EventId = 2051, Level = LogLevel.Information, Message = "Gateway on {EndPoint} stopped; {Connections} connections closed")]
    private static partial void LogStopped(ILogger logger, IPEndPoint? endPoint, int connections);

    [LoggerMessage(EventId = 2052, Level = LogLevel.Warning, Message = "Gateway accept failed ({ErrorCode}): {Reason}")]
    private static partial void LogAcceptFailed(ILogger logger, SocketError errorCode, string reason);

    [LoggerMessage(EventId = 2053, Level = LogLevel.Warning, Message = "Gateway connection from {RemoteEndPoint} refused: MaxConnections {MaxConnections} reached")]
    private static partial void LogTooManyConnections(ILogger logger, IPEndPoint? remoteEndPoint, int maxConnections);

    [LoggerMessage(EventId = 2054, Level = LogLevel.Error, Message = "Gateway connection {ConnectionId} failed unexpectedly")]
    private static partial void LogConnectionCrashed(ILogger logger, Exception exception, long connectionId);

    [LoggerMessage(EventId = 2055, Level = LogLevel.Trace, Message = "Gateway deadline sweep stopped")]
    private static partial void LogSweepStopped(ILogger logger);
}
