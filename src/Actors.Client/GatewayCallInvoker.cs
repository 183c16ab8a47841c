using System.Net;
using System.Net.Sockets;
using Actors.Invocation;
using Actors.Runtime;
using Actors.Serialization;
using Microsoft.Extensions.Logging;

namespace Actors.Client;

/// <summary>
/// The client's <see cref="IGrainCallInvoker"/>: sends calls over one multiplexed gateway connection, opening it on
/// demand and reopening it after it dropped (the reconnect policy is <see cref="ClientOptions.ConnectAttempts"/> rounds
/// over all gateways, <see cref="ClientOptions.ConnectRetryDelay"/> apart).
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
    private GatewayClientConnection? _connection;
    private int _nextEndpoint;
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
            GatewayClientConnection connection = Volatile.Read(ref _connection) is { IsAlive: true } open
                ? open
                : await ConnectAsync(cancellationToken);
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

    /// <summary>Returns the open connection or opens one.</summary>
    /// <exception cref="GatewayUnavailableException">No gateway answered.</exception>
    /// <exception cref="GatewayRejectedException">A gateway refused the handshake.</exception>
    public async Task<GatewayClientConnection> ConnectAsync(CancellationToken cancellationToken)
    {
        await _connectLock.WaitAsync(cancellationToken);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_connection is { IsAlive: true } open)
            {
                return open;
            }

            if (_connection is not null)
            {
                // Its reader still decides what became of the calls in flight on it (a Goodbye may wait behind a failed send).
                await _connection.RetireAsync(_options.ConnectTimeout);
                _connection = null;
            }

            Exception? lastError = null;
            IReadOnlyList<string> endpoints = _options.EffectiveGateways;
            for (int attempt = 1; attempt <= _options.ConnectAttempts; attempt++)
            {
                endpoints = await CurrentGatewaysAsync(cancellationToken);
                for (int i = 0; i < endpoints.Count; i++)
                {
                    string endpoint = endpoints[(_nextEndpoint + i) % endpoints.Count];
                    GatewayEndPointParser.TryParse(endpoint, out EndPoint address);
                    try
                    {
                        GatewayClientConnection connection = await GatewayClientConnection.ConnectAsync(endpoint, address, _options, _serializer, Observers, _logger, cancellationToken);
                        _nextEndpoint = (_nextEndpoint + i) % endpoints.Count;
                        Volatile.Write(ref _connection, connection);
                        LogConnected(_logger, endpoint, attempt);
                        return connection;
                    }
                    catch (Exception ex) when (ex is SocketException or IOException or TimeoutException or Wire.GatewayProtocolException)
                    {
                        lastError = ex;
                        LogConnectFailed(_logger, endpoint, attempt, ex.Message);
                    }
                }

                if (attempt < _options.ConnectAttempts && _options.ConnectRetryDelay > TimeSpan.Zero)
                {
                    await Task.Delay(_options.ConnectRetryDelay, cancellationToken);
                }
            }

            throw new GatewayUnavailableException(endpoints, _options.ConnectAttempts, lastError);
        }
        finally
        {
            _connectLock.Release();
        }
    }

    /// <summary>The gateway list provider's gateways (when there is one), then the configured ones; the configured ones alone when it fails or knows none.</summary>
    private async Task<IReadOnlyList<string>> CurrentGatewaysAsync(CancellationToken cancellationToken)
    {
        if (_options.GatewayListProvider is not { } provider)
        {
            return _options.EffectiveGateways;
        }

        try
        {
            IReadOnlyList<string> learned = await provider.GetGatewaysAsync(cancellationToken);
            if (learned.Count > 0)
            {
                return [.. learned.Concat(_options.Gateways).Distinct(StringComparer.OrdinalIgnoreCase)];
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogGatewayListFailed(_logger, ex.Message);
        }

        return _options.EffectiveGateways;
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
    }

    [LoggerMessage(EventId = 3012, Level = LogLevel.Debug, Message = "Call {MethodKey} was not started by the silo gateway at {Endpoint} ({Reason}); sending it again")]
    private static partial void LogResending(ILogger logger, string methodKey, string endpoint, string reason);

    [LoggerMessage(EventId = 3010, Level = LogLevel.Information, Message = "Connected to the silo gateway at {Endpoint} (attempt {Attempt})")]
    private static partial void LogConnected(ILogger logger, string endpoint, int attempt);

    [LoggerMessage(EventId = 3012, Level = LogLevel.Warning, Message = "The gateway list provider failed ({Reason}); trying the configured gateways")]
    private static partial void LogGatewayListFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 3011, Level = LogLevel.Warning, Message = "Connecting to the silo gateway at {Endpoint} failed (attempt {Attempt}): {Reason}")]
    private static partial void LogConnectFailed(ILogger logger, string endpoint, int attempt, string reason);
}
