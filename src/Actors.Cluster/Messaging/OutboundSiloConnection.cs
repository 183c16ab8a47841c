using System.Collections.Concurrent;
using System.Security.Cryptography;
using Actors.Cluster.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Actors.Cluster.Messaging;

/// <summary>
/// The initiator's end of a silo-to-silo connection: sends Hello, checks the acceptor's Welcome (identity and
/// shared-secret proof), proves its own, then multiplexes requests (correlation ids; responses in any order).
/// </summary>
/// <remarks>
/// When the connection closes every pending request fails with <see cref="SiloUnreachableException"/>: outcome unknown,
/// except after the acceptor's GoAway (a graceful close), when the unanswered requests it does not list as still running
/// certainly never ran (<see cref="SiloUnreachableException.NotDelivered"/>).
/// </remarks>
internal sealed partial class OutboundSiloConnection : SiloConnection
{
    private readonly LocalSiloIdentity _identity;
    private readonly SiloAddress _target;
    private readonly HelloFrame _hello;
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ConcurrentDictionary<ulong, TaskCompletionSource<byte[]>> _pending = new();
    private ulong _nextId;
    private HashSet<ulong>? _stillRunningAtGoAway;

    public OutboundSiloConnection(Stream stream, SiloAddress target, ClusterOptions options, LocalSiloIdentity identity, ILogger logger)
        : base(stream, options, logger, target.ToString())
    {
        _identity = identity;
        _target = target;
        _hello = new HelloFrame(identity.ClusterId, identity.Name, identity.Incarnation, target.Name, target.Incarnation, SiloFrames.NewNonce());
    }

    public SiloAddress Target => _target;

    /// <summary>Sends the Hello, starts the loops and waits for the handshake to complete.</summary>
    /// <exception cref="SiloUnreachableException">The acceptor refused the handshake or the connection closed.</exception>
    public async Task HandshakeAsync(CancellationToken cancellationToken)
    {
        await SendFrameAsync(SiloFrames.EncodeHello(_hello), cancellationToken);
        Start();
        await _ready.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Sends one request and awaits its response payload.</summary>
    public async Task<byte[]> SendAsync(SiloMessageType type, ReadOnlyMemory<byte> payload, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ulong id = Interlocked.Increment(ref _nextId);
        byte[] frame = SiloFrames.EncodeRequest(id, type, payload.Span);
        if (frame.Length - SiloFrames.LengthPrefixBytes > Options.MaxFrameBytes)
        {
            throw new InvalidOperationException($"A {type} request of {frame.Length} bytes exceeds ClusterOptions.MaxFrameBytes {Options.MaxFrameBytes}.");
        }

        var pending = new TaskCompletionSource<byte[]>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = pending;
        if (!IsAlive)
        {
            _pending.TryRemove(id, out _);
            throw new SiloUnreachableException(Peer, "the connection closed (" + (CloseReason ?? "closed") + ")", notDelivered: true);
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await SendFrameAsync(frame, deadline.Token);
            return await pending.Task.WaitAsync(deadline.Token);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"Silo {_target} did not answer a {type} request within {timeout}.");
        }
        finally
        {
            _pending.TryRemove(id, out _);
        }
    }

    /// <summary>
    /// Queues one one-way message (never answered) without waiting: false when the outbox is full
    /// (<see cref="ClusterOptions.MaxQueuedFramesPerConnection"/>, a peer that stopped reading) or the connection closed,
    /// and the message was not queued. Never waiting keeps a stalled peer from holding the senders' messages in memory.
    /// </summary>
    public bool TryPost(SiloMessageType type, ReadOnlySpan<byte> payload)
    {
        byte[] frame = SiloFrames.EncodeOneWay(type, payload);
        if (frame.Length - SiloFrames.LengthPrefixBytes > Options.MaxFrameBytes)
        {
            throw new InvalidOperationException($"A one-way {type} message of {frame.Length} bytes exceeds ClusterOptions.MaxFrameBytes {Options.MaxFrameBytes}.");
        }

        return Outbox.TryWrite(frame);
    }

    protected override async ValueTask<bool> HandleFrameAsync(SiloFrameKind kind, ReadOnlyMemory<byte> body)
    {
        if (!HandshakeDone)
        {
            switch (kind)
            {
                case SiloFrameKind.Rejected:
                    string reason = SiloFrames.DecodeRejected(body.Span);
                    _ready.TrySetException(new SiloUnreachableException(Peer, "it refused the handshake: " + reason));
                    return false;
                case SiloFrameKind.Welcome:
                    return await OnWelcomeAsync(SiloFrames.DecodeWelcome(body.Span));
                default:
                    throw new SiloProtocolException($"expected Welcome or Rejected, received kind {(byte)kind}");
            }
        }

        if (kind == SiloFrameKind.GoAway)
        {
            Volatile.Write(ref _stillRunningAtGoAway, SiloFrames.DecodeGoAway(body.Span));
            return false;
        }

        if (kind != SiloFrameKind.Response)
        {
            throw new SiloProtocolException($"unexpected frame kind {(byte)kind} from the acceptor");
        }

        (ulong id, byte[]? payload, SiloError? error) = SiloFrames.DecodeResponse(body.Span);
        if (_pending.TryRemove(id, out TaskCompletionSource<byte[]>? pending))
        {
            if (error is null)
            {
                pending.TrySetResult(payload!);
            }
            else
            {
                pending.TrySetException(SiloErrors.ToException(error));
            }
        }

        return true;
    }

    protected override void OnClosed(string reason)
    {
        var lost = new SiloUnreachableException(Peer, "the connection was lost (" + reason + ")");
        var notRead = new SiloUnreachableException(Peer, "it closed the connection gracefully (GoAway) before reading the request", notDelivered: true);
        HashSet<ulong>? stillRunning = Volatile.Read(ref _stillRunningAtGoAway);
        _ready.TrySetException(lost);
        foreach (ulong id in _pending.Keys)
        {
            if (_pending.TryRemove(id, out TaskCompletionSource<byte[]>? pending))
            {
                pending.TrySetException(stillRunning is not null && !stillRunning.Contains(id) ? notRead : lost);
            }
        }
    }

    private async ValueTask<bool> OnWelcomeAsync(WelcomeFrame welcome)
    {
        byte[] expected = SiloFrames.ComputeMac(_identity.Secret, "acceptor", _hello, welcome.Nonce, welcome.Name, welcome.Incarnation);
        string? problem =
            welcome.Version != SiloFrames.Version ? $"it speaks protocol version {welcome.Version}"
            : !string.Equals(welcome.Name, _target.Name, StringComparison.Ordinal) || (_target.Incarnation != 0 && welcome.Incarnation != _target.Incarnation)
                ? $"it is {welcome.Name}#{welcome.Incarnation}, not the silo addressed"
            : !CryptographicOperations.FixedTimeEquals(welcome.Mac, expected) ? "its shared-secret proof does not match (ClusterOptions.Secret differs)"
            : null;
        if (problem is not null)
        {
            ClusterInstruments.ConnectionAborted("rejected");
            _ready.TrySetException(new SiloUnreachableException(Peer, problem));
            return false;
        }

        byte[] mac = SiloFrames.ComputeMac(_identity.Secret, "initiator", _hello, welcome.Nonce, welcome.Name, welcome.Incarnation);
        await SendFrameAsync(SiloFrames.EncodeAuth(mac), Closed);
        HandshakeDone = true;
        _ready.TrySetResult();
        LogConnected(Logger, Peer);
        return true;
    }

    [LoggerMessage(EventId = 4020, Level = LogLevel.Debug, Message = "Silo connection to {Peer} authenticated")]
    private static partial void LogConnected(ILogger logger, string peer);
}
