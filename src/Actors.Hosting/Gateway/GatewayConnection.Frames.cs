using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using Actors.Wire;
using Microsoft.Extensions.Logging;

namespace Actors.Hosting.Gateway;

/// <summary>The gateway protocol's frames: the handshake, then requests, cancels, observer responses and routing requests.</summary>
internal sealed partial class GatewayConnection
{
    /// <summary>Handles one frame; false when the connection must close after flushing (rejected handshake).</summary>
    protected override async ValueTask<bool> HandleFrameAsync(GatewayFrameKind kind, ReadOnlySequence<byte> body)
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
            if (!HandshakeDone)
            {
                if (kind != GatewayFrameKind.Hello)
                {
                    throw new GatewayProtocolException($"expected a Hello frame first, received kind {(byte)kind}");
                }

                return Handshake(GatewayFrameCodec.DecodeHello(span));
            }

            switch (kind)
            {
                case GatewayFrameKind.Cancel:
                    _cancellations.Cancel(GatewayFrameCodec.DecodeCancel(span));
                    return true;
                case GatewayFrameKind.Response:
                    _observers.Complete(GatewayFrameCodec.DecodeResponse(span));
                    return true;
                case GatewayFrameKind.ObserverHost:
                    _observers.Host(GatewayFrameCodec.DecodeObserverHost(span));
                    return true;
                case GatewayFrameKind.RoutingRequest:
                    GatewayFrameCodec.DecodeRoutingRequest(span);
                    _routingRequested = true;
                    if (_routingTable() is { } table)
                    {
                        Outbox.TryWrite(table);
                    }

                    return true;
                case GatewayFrameKind.Request:
                    break;
                default:
                    throw new GatewayProtocolException($"unexpected frame kind {(byte)kind} from a client (only Request, Cancel, Response, ObserverHost and RoutingRequest frames are valid after the handshake)");
            }

            RequestFrame request = GatewayFrameCodec.DecodeRequest(span);
            await _inFlight.WaitAsync(Closed);
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
            Outbox.TryWrite(GatewayFrameCodec.EncodeHelloRejected(rejection));
            GatewayInstruments.ConnectionsAborted.Add(1, new KeyValuePair<string, object?>("reason", "rejected"));
            LogRejected(_logger, Id, RemoteEndPoint, rejection);
            return false;
        }

        HandshakeDone = true;
        Outbox.TryWrite(GatewayFrameCodec.EncodeHelloAccepted());
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

    /// <summary>Runs one request and queues its response (dropped when the connection closed meanwhile).</summary>
    private async Task ProcessAsync(RequestFrame request, PreparedRequest prepared, IncomingCallScope scope)
    {
        try
        {
            byte[]? response = await _dispatcher.DispatchAsync(request, prepared, scope, Closed);
            if (response is null || !IsAlive || !Outbox.TryWrite(response))
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

    [LoggerMessage(EventId = 2003, Level = LogLevel.Warning, Message = "Gateway connection {ConnectionId} from {RemoteEndPoint} rejected: {Reason}")]
    private static partial void LogRejected(ILogger logger, long connectionId, System.Net.IPEndPoint? remoteEndPoint, string reason);

    [LoggerMessage(EventId = 2006, Level = LogLevel.Debug, Message = "Gateway connection {ConnectionId} from {RemoteEndPoint} completed its handshake")]
    private static partial void LogHandshakeDone(ILogger logger, long connectionId, System.Net.IPEndPoint? remoteEndPoint);

    [LoggerMessage(EventId = 2007, Level = LogLevel.Trace, Message = "Gateway connection {ConnectionId}: response {CorrelationId} dropped, the connection is closed")]
    private static partial void LogResponseDropped(ILogger logger, long connectionId, ulong correlationId);
}
