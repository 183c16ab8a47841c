using System.Net;
using System.Net.Sockets;

namespace Actors.Client;

/// <summary>The main connection: which gateways a connect tries, in which order, and the connect rounds.</summary>
internal sealed partial class GatewayCallInvoker
{
    /// <summary>
    /// The gateways a connect tries now: the gateway list provider's (when there is one and it answers), then the
    /// gateways of the latest routing table (every Active silo's gateway as the cluster last told this client), then the
    /// configured ones; the configured ones (or <see cref="ClientOptions.DefaultGateway"/>) alone when neither knows any.
    /// </summary>
    internal async Task<IReadOnlyList<string>> CurrentGatewaysAsync(CancellationToken cancellationToken)
    {
        var gateways = new List<string>();
        if (_options.GatewayListProvider is { } provider)
        {
            try
            {
                gateways.AddRange(await provider.GetGatewaysAsync(cancellationToken));
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                LogGatewayListFailed(_logger, ex.Message);
            }
        }

        if (Volatile.Read(ref _routing) is { } table)
        {
            gateways.AddRange(table.Gateways);
        }

        if (gateways.Count == 0)
        {
            return _options.EffectiveGateways;
        }

        return [.. gateways.Concat(_options.Gateways).Distinct(StringComparer.OrdinalIgnoreCase)];
    }

    /// <summary>Returns the open connection or opens one, trying the gateway whose connection just dropped last.</summary>
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
                _droppedEndpoint = _connection.Endpoint;
                await _connection.RetireAsync(_options.ConnectTimeout);
                _connection = null;
            }

            Exception? lastError = null;
            IReadOnlyList<string> endpoints = _options.EffectiveGateways;
            for (int attempt = 1; attempt <= _options.ConnectAttempts; attempt++)
            {
                endpoints = await CurrentGatewaysAsync(cancellationToken);
                foreach (string endpoint in DroppedLast(endpoints))
                {
                    GatewayEndPointParser.TryParse(endpoint, out EndPoint address);
                    try
                    {
                        GatewayClientConnection connection = await GatewayClientConnection.ConnectAsync(
                            endpoint, address, _options, _serializer, Observers, OnRoutingTable, _logger, cancellationToken);
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

    /// <summary><paramref name="endpoints"/> in order, the gateway whose connection dropped last moved to the end.</summary>
    private IEnumerable<string> DroppedLast(IReadOnlyList<string> endpoints)
    {
        string? dropped = _droppedEndpoint;
        bool listed = false;
        foreach (string endpoint in endpoints)
        {
            if (string.Equals(endpoint, dropped, StringComparison.OrdinalIgnoreCase))
            {
                listed = true;
                continue;
            }

            yield return endpoint;
        }

        if (listed)
        {
            yield return dropped!;
        }
    }
}
