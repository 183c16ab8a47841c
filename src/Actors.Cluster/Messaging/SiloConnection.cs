using System.Buffers;
using Actors.Cluster.Diagnostics;
using Actors.Hosting.Connections;
using Microsoft.Extensions.Logging;

namespace Actors.Cluster.Messaging;

/// <summary>
/// What both ends of a silo-to-silo connection share on top of <see cref="FramedConnection{TKind}"/> (frames, a bounded
/// outbox with one writer loop, deadlines, graceful close): the silo frame layout (<see cref="SiloFrames"/>), sends that
/// fail with <see cref="SiloUnreachableException"/> once the connection closed, and the cluster's logs and instruments.
/// </summary>
internal abstract partial class SiloConnection : FramedConnection<SiloFrameKind>
{
    private readonly Stream _stream;

    protected SiloConnection(Stream stream, ClusterOptions options, ILogger logger, string peer)
        : base(new FramedConnectionLimits(options.MaxFrameBytes, options.HandshakeTimeout, options.FrameReceiveTimeout, options.MaxQueuedFramesPerConnection))
    {
        _stream = stream;
        Options = options;
        Logger = logger;
        Peer = peer;
    }

    /// <summary>Who is on the other end (for logs and errors).</summary>
    public string Peer { get; protected set; }

    protected ClusterOptions Options { get; }

    protected ILogger Logger { get; }

    /// <summary>Starts the read and write loops (once).</summary>
    public void Start() => _ = RunFramesAsync(_stream);

    /// <summary>Queues a frame, waiting while the queue is full.</summary>
    /// <exception cref="SiloUnreachableException">The connection closed: the frame was not queued (never sent).</exception>
    protected async ValueTask SendFrameAsync(byte[] frame, CancellationToken cancellationToken)
    {
        if (!await TrySendFrameAsync(frame, cancellationToken))
        {
            throw new SiloUnreachableException(Peer, "the connection closed (" + (CloseReason ?? "closed") + ")", notDelivered: true);
        }
    }

    /// <summary>Handles one frame; returns false to close the connection after what is queued was written.</summary>
    protected abstract ValueTask<bool> HandleFrameAsync(SiloFrameKind kind, ReadOnlyMemory<byte> body);

    /// <inheritdoc />
    protected sealed override ValueTask<bool> HandleFrameAsync(SiloFrameKind kind, ReadOnlySequence<byte> body)
        => HandleFrameAsync(kind, body.IsSingleSegment ? body.First : body.ToArray());

    /// <inheritdoc />
    protected sealed override bool TryReadFrame(ref ReadOnlySequence<byte> buffer, out SiloFrameKind kind, out ReadOnlySequence<byte> body)
        => SiloFrames.TryReadFrame(ref buffer, Options.MaxFrameBytes, out kind, out body);

    /// <inheritdoc />
    protected sealed override bool IsProtocolViolation(Exception exception) => exception is SiloProtocolException;

    /// <inheritdoc />
    protected sealed override Exception ProtocolViolation(string message) => new SiloProtocolException(message);

    /// <inheritdoc />
    protected override void OnDeadlineMissed(string deadline) => ClusterInstruments.ConnectionAborted(deadline);

    /// <inheritdoc />
    protected override void OnEnded(ReadEnd end, string reason)
    {
        if (end == ReadEnd.ProtocolError)
        {
            ClusterInstruments.ConnectionAborted("protocol");
            LogProtocolError(Logger, Peer, reason);
        }

        LogClosed(Logger, Peer, reason);
    }

    [LoggerMessage(EventId = 4001, Level = LogLevel.Warning, Message = "Silo connection with {Peer} closed: {Reason}")]
    private static partial void LogProtocolError(ILogger logger, string peer, string reason);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Debug, Message = "Silo connection with {Peer} closed: {Reason}")]
    private static partial void LogClosed(ILogger logger, string peer, string reason);
}
