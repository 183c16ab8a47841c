using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Actors.Cluster.Diagnostics;
using Actors.Hosting.Connections;
using Microsoft.Extensions.Logging;

namespace Actors.Cluster.Messaging;

/// <summary>
/// Silo-to-silo messaging over TCP: a listener that serves other silos' requests through an <see cref="ISiloMessageHandler"/>,
/// and one outbound connection per peer incarnation, opened on demand and reopened after a loss.
/// </summary>
/// <remarks>
/// A malformed or unauthenticated peer loses its connection, nothing else. A periodic sweep enforces handshake and frame
/// deadlines. <see cref="AbortAll"/> cuts every connection at once (a killed silo).
/// </remarks>
internal sealed partial class SiloTransport : ISiloTransport, IAsyncDisposable
{
    private readonly ClusterOptions _options;
    private readonly LocalSiloIdentity _identity;
    private readonly SiloTls _tls;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<SiloAddress, Lazy<Task<OutboundSiloConnection>>> _outbound = new();
    private readonly ConcurrentDictionary<InboundSiloConnection, byte> _inbound = new();
    private readonly CancellationTokenSource _stopping = new();
    private int _disposed;
    private bool _stoppingDisposed;
    private int _draining;
    private long _drainDeadlineTicks;
    private ISiloMessageHandler? _handler;
    private Socket? _listener;
    private Task _acceptLoop = Task.CompletedTask;
    private Task _sweepLoop = Task.CompletedTask;

    public SiloTransport(ClusterOptions options, LocalSiloIdentity identity, ILogger logger)
    {
        _options = options;
        _identity = identity;
        _tls = new SiloTls(options.Tls);
        _logger = logger;
    }

    /// <summary>The endpoint the listener is bound to (after <see cref="StartListening"/>).</summary>
    public IPEndPoint? ListeningEndPoint { get; private set; }

    /// <summary>Binds the listener (a port in use fails here) and starts accepting; requests go to <paramref name="handler"/>.</summary>
    public void StartListening(ISiloMessageHandler handler)
    {
        _handler = handler;
        var endPoint = new IPEndPoint(IPAddress.Parse(_options.BindAddress), _options.Port);
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Bind(endPoint);
            socket.Listen(512);
        }
        catch (SocketException ex)
        {
            socket.Dispose();
            throw new InvalidOperationException($"The silo-to-silo listener cannot bind {endPoint} (Actors:Cluster:BindAddress / Actors:Cluster:Port): {ex.Message}", ex);
        }

        _listener = socket;
        ListeningEndPoint = (IPEndPoint)socket.LocalEndPoint!;
        string host = _options.AdvertisedHost
            ?? (IPAddress.Parse(_options.BindAddress).Equals(IPAddress.Any) ? Dns.GetHostName() : _options.BindAddress);
        _identity.Endpoint = $"{host}:{ListeningEndPoint.Port}";
        LogListening(_logger, ListeningEndPoint, _identity.Endpoint, _tls.Enabled);
        _acceptLoop = Task.Run(AcceptLoopAsync);
        _sweepLoop = Task.Run(SweepLoopAsync);
    }

    /// <inheritdoc />
    public async Task<byte[]> SendAsync(SiloAddress target, SiloMessageType type, ReadOnlyMemory<byte> payload, TimeSpan timeout, CancellationToken cancellationToken)
    {
        OutboundSiloConnection connection;
        try
        {
            connection = await GetConnectionAsync(target, cancellationToken);
        }
        catch (SiloUnreachableException ex) when (!ex.NotDelivered)
        {
            throw new SiloUnreachableException(target.ToString(), ex.Message, ex, notDelivered: true);
        }

        ClusterInstruments.MessageSent(type);
        return await connection.SendAsync(type, payload, timeout, cancellationToken);
    }

    /// <inheritdoc />
    public async Task PostAsync(SiloAddress target, SiloMessageType type, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        OutboundSiloConnection connection = await GetConnectionAsync(target, cancellationToken);
        if (!connection.TryPost(type, payload.Span))
        {
            throw new SiloUnreachableException(target.ToString(), "its connection's outbox is full or the connection closed; the one-way message was not sent", notDelivered: true);
        }

        ClusterInstruments.MessageSent(type);
    }

    /// <summary>Closes the connections to incarnations other than the live ones (a restarted or dead peer).</summary>
    public void Forget(Func<SiloAddress, bool> stale)
    {
        foreach (SiloAddress address in _outbound.Keys.Where(stale).ToArray())
        {
            if (_outbound.TryRemove(address, out Lazy<Task<OutboundSiloConnection>>? lazy) && lazy.IsValueCreated && lazy.Value.IsCompletedSuccessfully)
            {
                lazy.Value.Result.Abort("the peer incarnation left the cluster view");
            }
        }
    }

    /// <summary>
    /// Graceful end: stops accepting connections, refuses new requests from other silos before they run (their senders
    /// route them elsewhere), gives the running ones up to <paramref name="timeout"/> to answer, then closes every inbound
    /// connection with GoAway, so a request that crossed the close on the wire is known by its sender never to have run.
    /// </summary>
    public async Task DrainAsync(TimeSpan timeout)
    {
        Interlocked.Exchange(ref _drainDeadlineTicks, (DateTimeOffset.UtcNow + timeout).UtcTicks);
        Interlocked.Exchange(ref _draining, 1);
        _listener?.Dispose();
        foreach (InboundSiloConnection connection in _inbound.Keys)
        {
            connection.CloseGracefully(DrainDeadline);
        }

        Task closed = Task.WhenAll(_inbound.Keys.Select(c => c.Completion));
        await closed.WaitAsync(timeout + FramedConnection<SiloFrameKind>.FinalFramesAllowance + TimeSpan.FromSeconds(1)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private DateTimeOffset DrainDeadline => new(Interlocked.Read(ref _drainDeadlineTicks), TimeSpan.Zero);

    /// <summary>Cuts every connection and stops listening at once (a killed silo: nothing is drained).</summary>
    public void AbortAll()
    {
        lock (_stopping)
        {
            if (_stoppingDisposed)
            {
                return;
            }

            _stopping.Cancel();
        }

        _listener?.Dispose();
        foreach (Lazy<Task<OutboundSiloConnection>> lazy in _outbound.Values)
        {
            if (lazy.IsValueCreated && lazy.Value.IsCompletedSuccessfully)
            {
                lazy.Value.Result.Abort("the silo is stopping");
            }
        }

        foreach (InboundSiloConnection connection in _inbound.Keys)
        {
            connection.Abort("the silo is stopping");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        AbortAll();
        await _acceptLoop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await _sweepLoop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        foreach (Lazy<Task<OutboundSiloConnection>> lazy in _outbound.Values)
        {
            if (lazy.IsValueCreated && lazy.Value.IsCompletedSuccessfully)
            {
                await lazy.Value.Result.DisposeAsync();
            }
        }

        foreach (InboundSiloConnection connection in _inbound.Keys)
        {
            await connection.DisposeAsync();
        }

        _tls.Dispose();
        lock (_stopping)
        {
            _stoppingDisposed = true;
            _stopping.Dispose();
        }
    }

    private async Task<OutboundSiloConnection> GetConnectionAsync(SiloAddress target, CancellationToken cancellationToken)
    {
        while (true)
        {
            ObjectDisposedException.ThrowIf(_stopping.IsCancellationRequested, this);
            Lazy<Task<OutboundSiloConnection>> lazy = _outbound.GetOrAdd(target, t => new Lazy<Task<OutboundSiloConnection>>(() => ConnectAsync(t)));
            OutboundSiloConnection connection;
            try
            {
                connection = await lazy.Value.WaitAsync(cancellationToken);
            }
            catch (Exception) when (!cancellationToken.IsCancellationRequested)
            {
                // A failed connect is not cached: the next send tries again.
                _outbound.TryRemove(new KeyValuePair<SiloAddress, Lazy<Task<OutboundSiloConnection>>>(target, lazy));
                throw;
            }

            if (connection.IsAlive)
            {
                return connection;
            }

            _outbound.TryRemove(new KeyValuePair<SiloAddress, Lazy<Task<OutboundSiloConnection>>>(target, lazy));
        }
    }

    private async Task<OutboundSiloConnection> ConnectAsync(SiloAddress target)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
        timeout.CancelAfter(_options.ConnectTimeout);
        (string host, int port) = SplitEndpoint(target.Endpoint);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        Stream? stream = null;
        try
        {
            await socket.ConnectAsync(host, port, timeout.Token);
            stream = await _tls.AuthenticateAsClientAsync(new NetworkStream(socket, ownsSocket: true), host, timeout.Token);
            var connection = new OutboundSiloConnection(stream, target, _options, _identity, _logger);
            try
            {
                await connection.HandshakeAsync(timeout.Token);
            }
            catch
            {
                await connection.DisposeAsync();
                throw;
            }

            ClusterInstruments.ConnectionOpened("outbound");
            return connection;
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            await DisposeAsync(socket, stream);
            throw new SiloUnreachableException(target.ToString(), $"no connection within ConnectTimeout {_options.ConnectTimeout}");
        }
        catch (Exception ex) when (ex is SocketException or IOException or System.Security.Authentication.AuthenticationException)
        {
            await DisposeAsync(socket, stream);
            throw new SiloUnreachableException(target.ToString(), ex.Message, ex);
        }
    }

    private static async Task DisposeAsync(Socket socket, Stream? stream)
    {
        if (stream is not null)
        {
            await stream.DisposeAsync();
        }

        socket.Dispose();
    }

    private static (string Host, int Port) SplitEndpoint(string endpoint)
    {
        int colon = endpoint.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(endpoint.AsSpan(colon + 1), out int port))
        {
            throw new SiloUnreachableException(endpoint, "its endpoint is not host:port");
        }

        return (endpoint[..colon].Trim('[', ']'), port);
    }

    private async Task AcceptLoopAsync()
    {
        Socket listener = _listener!;
        CancellationToken stopping = _stopping.Token;
        while (!stopping.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptAsync(stopping);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException || (ex is SocketException && (stopping.IsCancellationRequested || Volatile.Read(ref _draining) != 0)))
            {
                return;
            }
            catch (SocketException ex)
            {
                LogAcceptFailed(_logger, ex.SocketErrorCode, ex.Message);
                continue;
            }

            client.NoDelay = true;
            _ = ServeInboundAsync(client);
        }
    }

    private async Task ServeInboundAsync(Socket client)
    {
        EndPoint? remote = client.RemoteEndPoint;
        Stream stream;
        try
        {
            using var handshake = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
            handshake.CancelAfter(_options.HandshakeTimeout);
            stream = await _tls.AuthenticateAsServerAsync(new NetworkStream(client, ownsSocket: true), handshake.Token);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or System.Security.Authentication.AuthenticationException or SocketException)
        {
            ClusterInstruments.ConnectionAborted("tls");
            LogTlsFailed(_logger, remote, ex.Message);
            client.Dispose();
            return;
        }

        var connection = new InboundSiloConnection(stream, remote, _options, _identity, _handler!, () => Volatile.Read(ref _draining) != 0, _logger);
        _inbound[connection] = 0;
        ClusterInstruments.ConnectionOpened("inbound");
        try
        {
            if (Volatile.Read(ref _draining) != 0)
            {
                // Accepted while the drain began: close it the same way (the drain may have missed it).
                connection.CloseGracefully(DrainDeadline);
            }

            connection.Start();
            await connection.Completion;
        }
        catch (Exception ex)
        {
            LogConnectionCrashed(_logger, ex, connection.Peer);
        }
        finally
        {
            _inbound.TryRemove(connection, out _);
            await connection.DisposeAsync();
        }
    }

    private async Task SweepLoopAsync()
    {
        TimeSpan shortest = _options.HandshakeTimeout < _options.FrameReceiveTimeout ? _options.HandshakeTimeout : _options.FrameReceiveTimeout;
        using var timer = new PeriodicTimer(TimeSpan.FromTicks(Math.Clamp(shortest.Ticks / 4, TimeSpan.TicksPerMillisecond * 10, TimeSpan.TicksPerSecond)));
        try
        {
            while (await timer.WaitForNextTickAsync(_stopping.Token))
            {
                foreach (InboundSiloConnection connection in _inbound.Keys)
                {
                    connection.CheckDeadlines();
                }

                foreach (Lazy<Task<OutboundSiloConnection>> lazy in _outbound.Values)
                {
                    if (lazy.IsValueCreated && lazy.Value.IsCompletedSuccessfully)
                    {
                        lazy.Value.Result.CheckDeadlines();
                    }
                }
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(EventId = 4030, Level = LogLevel.Information, Message = "Silo-to-silo listener on {EndPoint}, advertised as {Advertised} (TLS: {Tls})")]
    private static partial void LogListening(ILogger logger, IPEndPoint endPoint, string advertised, bool tls);

    [LoggerMessage(EventId = 4031, Level = LogLevel.Warning, Message = "Silo-to-silo accept failed ({ErrorCode}): {Reason}")]
    private static partial void LogAcceptFailed(ILogger logger, SocketError errorCode, string reason);

    [LoggerMessage(EventId = 4032, Level = LogLevel.Warning, Message = "Silo-to-silo TLS handshake with {Remote} failed: {Reason}")]
    private static partial void LogTlsFailed(ILogger logger, EndPoint? remote, string reason);

    [LoggerMessage(EventId = 4033, Level = LogLevel.Error, Message = "Silo connection {Peer} failed unexpectedly")]
    private static partial void LogConnectionCrashed(ILogger logger, Exception exception, string peer);
}
