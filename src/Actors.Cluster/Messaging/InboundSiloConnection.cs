using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using Actors.Cluster.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Actors.Cluster.Messaging;

/// <summary>
/// The acceptor's end of a silo-to-silo connection: verifies the initiator's Hello and Auth (cluster id, addressed
/// incarnation, shared-secret proof), then runs its requests through the <see cref="ISiloMessageHandler"/>, at most
/// <see cref="ClusterOptions.MaxConcurrentRequestsPerConnection"/> at once (beyond that it stops reading). A graceful
/// close answers every request it read, then sends GoAway: the initiator knows the requests still unanswered never ran.
/// </summary>
internal sealed partial class InboundSiloConnection : SiloConnection
{
    private readonly LocalSiloIdentity _identity;
    private readonly ISiloMessageHandler _handler;
    private readonly SemaphoreSlim _inFlight;
    private readonly ConcurrentDictionary<ulong, Task> _serving = new();
    private HelloFrame? _hello;
    private byte[]? _welcomeNonce;
    private SiloAddress? _sender;

    private readonly Func<bool> _draining;

    public InboundSiloConnection(Stream stream, EndPoint? remote, ClusterOptions options, LocalSiloIdentity identity, ISiloMessageHandler handler, Func<bool> draining, ILogger logger)
        : base(stream, options, logger, $"inbound {remote}")
    {
        _identity = identity;
        _handler = handler;
        _draining = draining;
        _inFlight = new SemaphoreSlim(options.MaxConcurrentRequestsPerConnection);
    }

    protected override async ValueTask<bool> HandleFrameAsync(SiloFrameKind kind, ReadOnlyMemory<byte> body)
    {
        if (_hello is null)
        {
            return kind == SiloFrameKind.Hello
                ? await OnHelloAsync(SiloFrames.DecodeHello(body.Span))
                : throw new SiloProtocolException($"expected a Hello frame first, received kind {(byte)kind}");
        }

        if (!HandshakeDone)
        {
            return kind == SiloFrameKind.Auth
                ? await OnAuthAsync(SiloFrames.DecodeAuth(body.Span))
                : throw new SiloProtocolException($"expected an Auth frame after Welcome, received kind {(byte)kind}");
        }

        if (kind == SiloFrameKind.OneWay)
        {
            HandleOneWay(SiloFrames.DecodeOneWay(body.Span));
            return true;
        }

        if (kind != SiloFrameKind.Request)
        {
            throw new SiloProtocolException($"unexpected frame kind {(byte)kind} after the handshake");
        }

        (ulong id, SiloMessageType type, byte[] payload) = SiloFrames.DecodeRequest(body.Span);
        if (_draining())
        {
            // The silo is shutting down: refuse before running, so the sender routes the request elsewhere.
            await SendFrameAsync(SiloFrames.EncodeResponseError(id, SiloErrors.From(new SiloUnavailableException($"Silo '{_identity.Name}' is shutting down; {type} refused before it ran."))), Closed);
            return true;
        }

        await _inFlight.WaitAsync(Closed);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _serving[id] = ServeAsync(id, type, payload, started.Task);
        started.SetResult();
        return true;
    }

    /// <summary>A one-way message: handed to the handler here, on the read loop (dropped while the silo drains).</summary>
    private void HandleOneWay((SiloMessageType Type, byte[] Payload) message)
    {
        if (_draining())
        {
            return;
        }

        try
        {
            _handler.HandleOneWay(_sender!, message.Type, message.Payload);
        }
        catch (Exception ex) when (ex is not SiloProtocolException)
        {
            LogOneWayDropped(Logger, ex, Peer, message.Type);
        }
    }

    /// <summary>
    /// Reading stopped for a graceful close: waits (until <paramref name="deadline"/>) for the requests already read to be
    /// answered, then queues GoAway listing those still running (their outcome is unknown to the sender; every other
    /// unanswered request was never read).
    /// </summary>
    protected override async ValueTask OnReadingStoppedAsync(DateTimeOffset deadline)
    {
        if (!HandshakeDone)
        {
            return;
        }

        TimeSpan left = deadline - DateTimeOffset.UtcNow;
        try
        {
            await Task.WhenAll(_serving.Values).WaitAsync(left > TimeSpan.Zero ? left : TimeSpan.Zero, Closed);
        }
        catch (TimeoutException)
        {
            LogStillRunningAtGoAway(Logger, Peer, _serving.Count);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        try
        {
            await SendFrameAsync(SiloFrames.EncodeGoAway(_serving.Keys.ToArray()), Closed);
        }
        catch (Exception ex) when (ex is SiloUnreachableException or OperationCanceledException)
        {
            // The connection closed meanwhile: nothing more to tell the peer.
        }
    }

    /// <summary>Requests of this connection running now.</summary>
    public int InFlight => Options.MaxConcurrentRequestsPerConnection - _inFlight.CurrentCount;

    protected override void OnClosed(string reason)
    {
    }

    private async ValueTask<bool> OnHelloAsync(HelloFrame hello)
    {
        _hello = hello;
        Peer = $"{hello.FromName}#{hello.FromIncarnation} (inbound)";
        string? refusal =
            hello.Version != SiloFrames.Version ? $"protocol version {hello.Version} is not supported (this silo speaks {SiloFrames.Version})"
            : !string.Equals(hello.ClusterId, _identity.ClusterId, StringComparison.Ordinal) ? $"this silo belongs to cluster '{_identity.ClusterId}', not '{hello.ClusterId}'"
            : _identity.Incarnation == 0 ? "this silo has not joined the cluster yet"
            : !string.Equals(hello.ToName, _identity.Name, StringComparison.Ordinal) ? $"this is silo '{_identity.Name}', not '{hello.ToName}'"
            : hello.ToIncarnation != 0 && hello.ToIncarnation != _identity.Incarnation ? $"this is incarnation {_identity.Incarnation} of '{_identity.Name}', not {hello.ToIncarnation}"
            : null;
        if (refusal is not null)
        {
            return await RejectAsync(refusal);
        }

        _welcomeNonce = SiloFrames.NewNonce();
        byte[] mac = SiloFrames.ComputeMac(_identity.Secret, "acceptor", hello, _welcomeNonce, _identity.Name, _identity.Incarnation);
        await SendFrameAsync(SiloFrames.EncodeWelcome(new WelcomeFrame(SiloFrames.Version, _identity.Name, _identity.Incarnation, _welcomeNonce, mac)), Closed);
        return true;
    }

    private async ValueTask<bool> OnAuthAsync(byte[] mac)
    {
        byte[] expected = SiloFrames.ComputeMac(_identity.Secret, "initiator", _hello!, _welcomeNonce, _identity.Name, _identity.Incarnation);
        if (!CryptographicOperations.FixedTimeEquals(mac, expected))
        {
            return await RejectAsync("the shared-secret proof does not match (ClusterOptions.Secret differs)");
        }

        HandshakeDone = true;
        _sender = new SiloAddress(_hello!.FromName, _hello.FromIncarnation, "");
        LogAccepted(Logger, Peer);
        return true;
    }

    private async ValueTask<bool> RejectAsync(string reason)
    {
        ClusterInstruments.ConnectionAborted("rejected");
        LogRejected(Logger, Peer, reason);
        await SendFrameAsync(SiloFrames.EncodeRejected(reason), Closed);
        return false;
    }

    private async Task ServeAsync(ulong id, SiloMessageType type, byte[] payload, Task registered)
    {
        await registered;
        try
        {
            await ServeCoreAsync(id, type, payload);
        }
        finally
        {
            _serving.TryRemove(id, out _);
        }
    }

    private async Task ServeCoreAsync(ulong id, SiloMessageType type, byte[] payload)
    {
        byte[] response;
        try
        {
            byte[] result = await _handler.HandleAsync(_sender!, type, payload, Closed);
            response = SiloFrames.EncodeResponseOk(id, result);
        }
        catch (OperationCanceledException) when (Closed.IsCancellationRequested)
        {
            _inFlight.Release();
            return;
        }
        catch (Exception ex)
        {
            response = SiloFrames.EncodeResponseError(id, SiloErrors.From(ex));
        }

        try
        {
            if (response.Length - SiloFrames.LengthPrefixBytes > Options.MaxFrameBytes)
            {
                response = SiloFrames.EncodeResponseError(id, SiloErrors.From(new InvalidOperationException(
                    $"The response to {type} is {response.Length} bytes, more than ClusterOptions.MaxFrameBytes {Options.MaxFrameBytes}.")));
            }

            await SendFrameAsync(response, Closed);
        }
        catch (Exception ex) when (ex is SiloUnreachableException or OperationCanceledException)
        {
            LogResponseDropped(Logger, Peer, id);
        }
        finally
        {
            _inFlight.Release();
        }
    }

    [LoggerMessage(EventId = 4010, Level = LogLevel.Debug, Message = "Silo connection from {Peer} authenticated")]
    private static partial void LogAccepted(ILogger logger, string peer);

    [LoggerMessage(EventId = 4011, Level = LogLevel.Warning, Message = "Silo connection from {Peer} rejected: {Reason}")]
    private static partial void LogRejected(ILogger logger, string peer, string reason);

    [LoggerMessage(EventId = 4013, Level = LogLevel.Warning, Message = "Silo connection from {Peer} closes with {Running} requests still running at the drain deadline: their outcome is unknown to the sender")]
    private static partial void LogStillRunningAtGoAway(ILogger logger, string peer, int running);

    [LoggerMessage(EventId = 4014, Level = LogLevel.Warning, Message = "Silo connection from {Peer}: a one-way {Type} message was dropped, its handler failed")]
    private static partial void LogOneWayDropped(ILogger logger, Exception exception, string peer, SiloMessageType type);

    [LoggerMessage(EventId = 4012, Level = LogLevel.Trace, Message = "Silo connection from {Peer}: response {CorrelationId} dropped, the connection closed")]
    private static partial void LogResponseDropped(ILogger logger, string peer, ulong correlationId);
}
