using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Actors.Invocation;
using Actors.Runtime;
using Actors.Serialization;
using Actors.Wire;
using Microsoft.Extensions.Logging;

namespace Actors.Client;

/// <summary>
/// The client's <see cref="IGrainCallInvoker"/>: sends calls over one multiplexed gateway connection, opening it on
/// demand and reopening it after it dropped (the reconnect policy is <see cref="ClientOptions.ConnectAttempts"/> rounds
/// over all gateways, <see cref="ClientOptions.ConnectRetryDelay"/> apart; the gateways are the configured ones plus those
/// the cluster's routing table names, so one seed gateway is enough). With
/// <see cref="ClientOptions.RouteToPartitionOwners"/>, a call for a partition-bound grain goes over a connection to its
/// partition owner's gateway instead (from the latest <see cref="GatewayRoutingTable"/> any gateway sent), falling back to
/// the main connection when the table cannot tell or that gateway cannot be reached.
/// </summary>
/// <remarks>Thread-safe. Concurrent calls during a reconnect wait for the same connect.</remarks>
internal sealed partial class GatewayCallInvoker : IGrainCallInvoker, IAsyncDisposable
{
    /// <summary>How many times a request the silo certainly did not start is sent again on a new connection.</summary>
    internal const int MaxNotStartedResends = 3;

    private readonly ClientOptions _options;
    private readonly Serializer _serializer;
    private readonly ILogger _logger;
    private readonly OutgoingCallPipeline _outgoing;
    private readonly SemaphoreSlim _connectLock = new(1, 1);
    private readonly SemaphoreSlim _routeLock = new(1, 1);
    private readonly ConcurrentDictionary<string, GatewayClientConnection> _routes = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, long> _unreachableUntil = new(StringComparer.OrdinalIgnoreCase);
    private GatewayClientConnection? _connection;
    private GatewayRoutingTable? _routing;
    private long _routedCalls;
    private string? _droppedEndpoint;
    private bool _disposed;

    public GatewayCallInvoker(ClientOptions options, Serializer serializer, ILogger<GatewayCallInvoker> logger, IEnumerable<IOutgoingGrainCallFilter>? outgoingFilters = null)
    {
        _options = options;
        _serializer = serializer;
        _logger = logger;
        _outgoing = new OutgoingCallPipeline(outgoingFilters ?? []);
    }

    /// <summary>The observers this client hosts (owner <c>client-{random}</c>); every connection announces them to its gateway.</summary>
    public ObserverRegistry Observers { get; } = new("client-" + Guid.NewGuid().ToString("N"));

    /// <summary>The latest routing table a gateway sent (null before the first, or from a silo that is not clustered).</summary>
    public GatewayRoutingTable? RoutingTable => Volatile.Read(ref _routing);

    /// <summary>How many calls were sent to the gateway the routing table named for them.</summary>
    public long RoutedCalls => Interlocked.Read(ref _routedCalls);

    /// <summary>True while a connection is open.</summary>
    public bool IsConnected => Volatile.Read(ref _connection) is { IsAlive: true };

    /// <inheritdoc />
    /// <remarks>The client's outgoing filters run first; the call then carries the flow's request context as they left it.</remarks>
    public ValueTask<object?> InvokeAsync(GrainCallRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return _outgoing.IsEmpty
            ? SendAsync(request with { RequestContext = RequestContext.Export() }, cancellationToken)
            : _outgoing.InvokeAsync(request, source: null, SendAsync, cancellationToken);
    }

    /// <summary>Runs a call to one of this client's observers here; sends every other call to the gateway.</summary>
    private ValueTask<object?> SendAsync(GrainCallRequest request, CancellationToken cancellationToken)
        => Observers.Contains(request.Target) ? InvokeOwnObserver(request, cancellationToken) : SendToGatewayAsync(request, cancellationToken);

    /// <summary>
    /// Sends the call; a request that certainly did not run (never sent, or left unanswered by a silo that said Goodbye)
    /// is sent again on a new connection, up to <see cref="MaxNotStartedResends"/> times.
    /// </summary>
    private async ValueTask<object?> SendToGatewayAsync(GrainCallRequest request, CancellationToken cancellationToken)
    {
        for (int attempt = 1; ; attempt++)
        {
            GatewayClientConnection connection = await RoutedConnectionAsync(request, cancellationToken)
                ?? (Volatile.Read(ref _connection) is { IsAlive: true } open ? open : await ConnectAsync(cancellationToken));
            try
            {
                return await connection.InvokeAsync(request, cancellationToken);
            }
            catch (GatewayRequestNotStartedException ex)
            {
                if (attempt > MaxNotStartedResends)
                {
                    throw new GatewayConnectionLostException(ex.Endpoint, $"the request was not started after {attempt} attempts: {ex.Reason}", ex);
                }

                LogResending(_logger, request.Method.Key, ex.Endpoint, ex.Reason);
            }
        }
    }

    /// <summary>
    /// The connection to the gateway the routing table names for <paramref name="request"/>, opened on demand; null when
    /// the table names none, or that gateway failed to connect within the last <see cref="ClientOptions.ConnectRetryDelay"/>.
    /// </summary>
    private async ValueTask<GatewayClientConnection?> RoutedConnectionAsync(GrainCallRequest request, CancellationToken cancellationToken)
    {
        if (!_options.RouteToPartitionOwners || Volatile.Read(ref _routing) is not { } table
            || table.GatewayFor(request.Target, request.Method.InterfaceType) is not { } endpoint)
        {
            return null;
        }

        GatewayClientConnection? connection = Volatile.Read(ref _connection) is { IsAlive: true } main && string.Equals(main.Endpoint, endpoint, StringComparison.OrdinalIgnoreCase)
            ? main
            : _routes.TryGetValue(endpoint, out GatewayClientConnection? routed) && routed.IsAlive
                ? routed
                : _unreachableUntil.TryGetValue(endpoint, out long until) && Environment.TickCount64 < until
                    ? null
                    : await OpenRouteAsync(endpoint, cancellationToken);
        if (connection is not null)
        {
            Interlocked.Increment(ref _routedCalls);
        }

        return connection;
    }

    private async Task<GatewayClientConnection?> OpenRouteAsync(string endpoint, CancellationToken cancellationToken)
    {
        await _routeLock.WaitAsync(cancellationToken);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_routes.TryGetValue(endpoint, out GatewayClientConnection? existing))
            {
                if (existing.IsAlive)
                {
                    return existing;
                }

                _routes.TryRemove(endpoint, out _);
                await existing.RetireAsync(_options.ConnectTimeout);
            }

            try
            {
                if (!GatewayEndPointParser.TryParse(endpoint, out EndPoint address))
                {
                    throw new GatewayProtocolException($"the routing table names gateway '{endpoint}', which is not a host:port");
                }

                GatewayClientConnection connection = await GatewayClientConnection.ConnectAsync(endpoint, address, _options, _serializer, Observers, OnRoutingTable, _logger, cancellationToken);
                _routes[endpoint] = connection;
                LogRouteOpened(_logger, endpoint);
                return connection;
            }
            catch (Exception ex) when (ex is SocketException or IOException or TimeoutException or GatewayProtocolException or GatewayRejectedException)
            {
                _unreachableUntil[endpoint] = Environment.TickCount64 + (long)_options.ConnectRetryDelay.TotalMilliseconds;
                LogRouteFailed(_logger, endpoint, ex.Message);
                return null;
            }
        }
        finally
        {
            _routeLock.Release();
        }
    }

    /// <summary>Keeps <paramref name="table"/> when it is newer than the current one (tables from several gateways interleave).</summary>
    private void OnRoutingTable(GatewayRoutingTable table)
    {
        while (true)
        {
            GatewayRoutingTable? current = Volatile.Read(ref _routing);
            if ((current is not null && current.Version >= table.Version) || Interlocked.CompareExchange(ref _routing, table, current) == current)
            {
                return;
            }
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _connectLock.WaitAsync();
        try
        {
            _disposed = true;
            if (_connection is not null)
            {
                await _connection.DisposeAsync();
                _connection = null;
            }

            if (_options.GatewayListProvider is IAsyncDisposable provider)
            {
                await provider.DisposeAsync();
            }
        }
        finally
        {
            _connectLock.Release();
        }

        await _routeLock.WaitAsync();
        try
        {
            foreach (GatewayClientConnection routed in _routes.Values)
            {
                await routed.DisposeAsync();
            }

            _routes.Clear();
        }
        finally
        {
            _routeLock.Release();
        }
    }

    [LoggerMessage(EventId = 3012, Level = LogLevel.Debug, Message = "Call {MethodKey} was not started by the silo gateway at {Endpoint} ({Reason}); sending it again")]
    private static partial void LogResending(ILogger logger, string methodKey, string endpoint, string reason);

    [LoggerMessage(EventId = 3013, Level = LogLevel.Debug, Message = "Opened a connection to the silo gateway at {Endpoint} to send calls straight to the partitions it owns")]
    private static partial void LogRouteOpened(ILogger logger, string endpoint);

    [LoggerMessage(EventId = 3014, Level = LogLevel.Debug, Message = "The silo gateway at {Endpoint} the routing table names could not be reached ({Reason}); its calls go through the main connection for now")]
    private static partial void LogRouteFailed(ILogger logger, string endpoint, string reason);

    [LoggerMessage(EventId = 3010, Level = LogLevel.Information, Message = "Connected to the silo gateway at {Endpoint} (attempt {Attempt})")]
    private static partial void LogConnected(ILogger logger, string endpoint, int attempt);

    [LoggerMessage(EventId = 3015, Level = LogLevel.Warning, Message = "The gateway list provider failed ({Reason}); trying the configured gateways")]
    private static partial void LogGatewayListFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 3011, Level = LogLevel.Warning, Message = "Connecting to the silo gateway at {Endpoint} failed (attempt {Attempt}): {Reason}")]
    private static partial void LogConnectFailed(ILogger logger, string endpoint, int attempt, string reason);
}
