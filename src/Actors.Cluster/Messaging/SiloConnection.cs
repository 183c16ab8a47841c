using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;
using System.Threading.Channels;
using Actors.Cluster.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Actors.Cluster.Messaging;

/// <summary>
/// What both ends of a silo-to-silo connection share: frame reading with <see cref="System.IO.Pipelines"/> (the length
/// is checked before anything is buffered), one writer loop fed by a bounded queue (senders wait when it is full:
/// backpressure), handshake and frame deadlines, an abort that fails the connection only, and a graceful close
/// (<see cref="CloseGracefully"/>) that stops reading, lets the subclass finish what it read, then closes.
/// </summary>
internal abstract partial class SiloConnection : IAsyncDisposable
{
    private readonly Stream _stream;
    private readonly Channel<byte[]> _outbox;
    private readonly CancellationTokenSource _closed = new();
    private readonly long _openedAt = Stopwatch.GetTimestamp();
    private long _frameStartedAt;
    private string? _closeReason;
    private Task _run = Task.CompletedTask;
    private PipeReader? _reader;
    private int _stopReading;
    private DateTimeOffset _gracefulDeadline;

    /// <summary>How long a graceful close waits, after its deadline, for its last frames to be written.</summary>
    public static readonly TimeSpan GracefulFlushAllowance = TimeSpan.FromSeconds(5);

    /// <summary>How the read loop ended.</summary>
    private enum ReadEnd
    {
        PeerClosed,
        Rejected,
        StopRequested,
    }

    protected SiloConnection(Stream stream, ClusterOptions options, ILogger logger, string peer)
    {
        _stream = stream;
        Options = options;
        Logger = logger;
        Peer = peer;
        _outbox = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(options.MaxQueuedFramesPerConnection)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    /// <summary>Who is on the other end (for logs and errors).</summary>
    public string Peer { get; protected set; }

    /// <summary>True until the connection closes.</summary>
    public bool IsAlive => Volatile.Read(ref _closeReason) is null;

    /// <summary>Why the connection closed, or null.</summary>
    public string? CloseReason => Volatile.Read(ref _closeReason);

    protected ClusterOptions Options { get; }

    protected ILogger Logger { get; }

    protected CancellationToken Closed => _closed.Token;

    protected bool HandshakeDone { get; set; }

    /// <summary>Starts the read and write loops.</summary>
    public void Start() => _run = RunAsync();

    /// <summary>Completes when the connection has closed and its loops ended.</summary>
    public Task Completion => _run;

    /// <summary>Closes the connection with a reason (logged). Thread-safe; the first reason wins.</summary>
    public void Abort(string reason)
    {
        if (Interlocked.CompareExchange(ref _closeReason, reason, null) is null)
        {
            _outbox.Writer.TryComplete();
            _closed.Cancel();
            OnClosed(reason);
        }
    }

    /// <summary>Aborts the connection if its handshake or its current frame is overdue.</summary>
    public void CheckDeadlines()
    {
        long now = Stopwatch.GetTimestamp();
        if (!HandshakeDone && Stopwatch.GetElapsedTime(_openedAt, now) > Options.HandshakeTimeout)
        {
            ClusterInstruments.ConnectionAborted("handshake-timeout");
            Abort($"no handshake within HandshakeTimeout {Options.HandshakeTimeout}");
            return;
        }

        long started = Interlocked.Read(ref _frameStartedAt);
        if (started != 0 && Stopwatch.GetElapsedTime(started, now) > Options.FrameReceiveTimeout)
        {
            ClusterInstruments.ConnectionAborted("frame-timeout");
            Abort($"a frame did not arrive completely within FrameReceiveTimeout {Options.FrameReceiveTimeout}");
        }
    }

    /// <summary>
    /// Starts a graceful close: no frame is read (or handled) any more, <see cref="OnReadingStoppedAsync"/> gets until
    /// <paramref name="deadline"/> to finish the work already read, what is queued is written, then the connection closes.
    /// Idempotent; <see cref="Completion"/> completes when it is closed.
    /// </summary>
    public void CloseGracefully(DateTimeOffset deadline)
    {
        _gracefulDeadline = deadline;
        if (Interlocked.Exchange(ref _stopReading, 1) == 0)
        {
            Volatile.Read(ref _reader)?.CancelPendingRead();
        }
    }

    public async ValueTask DisposeAsync()
    {
        Abort("disposed");
        await _run.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _closed.Dispose();
    }

    /// <summary>Queues a frame, waiting while the queue is full.</summary>
    /// <exception cref="SiloUnreachableException">The connection closed: the frame was not queued (never sent).</exception>
    protected async ValueTask SendFrameAsync(byte[] frame, CancellationToken cancellationToken)
    {
        try
        {
            await _outbox.Writer.WriteAsync(frame, cancellationToken);
        }
        catch (ChannelClosedException)
        {
            throw new SiloUnreachableException(Peer, "the connection closed (" + (CloseReason ?? "closed") + ")", notDelivered: true);
        }
    }

    /// <summary>Handles one frame; returns false to close the connection after what is queued was written.</summary>
    protected abstract ValueTask<bool> HandleFrameAsync(SiloFrameKind kind, ReadOnlyMemory<byte> body);

    /// <summary>
    /// Called after a graceful close stopped the reading, before the queued frames are flushed and the connection closes:
    /// finish the work already read (until <paramref name="deadline"/>) and queue any last frame. Nothing by default.
    /// </summary>
    protected virtual ValueTask OnReadingStoppedAsync(DateTimeOffset deadline) => ValueTask.CompletedTask;

    /// <summary>Called once when the connection closes (fail pending work here).</summary>
    protected abstract void OnClosed(string reason);

    private async Task RunAsync()
    {
        PipeReader reader = PipeReader.Create(_stream, new StreamPipeReaderOptions(leaveOpen: true));
        PipeWriter writer = PipeWriter.Create(_stream, new StreamPipeWriterOptions(leaveOpen: true));
        Volatile.Write(ref _reader, reader);
        if (Volatile.Read(ref _stopReading) != 0)
        {
            reader.CancelPendingRead();
        }

        Task writeLoop = WriteLoopAsync(writer);
        string reason = "closed by the peer";
        try
        {
            ReadEnd end = await ReadLoopAsync(reader);
            if (end == ReadEnd.StopRequested)
            {
                reason = "closed gracefully";
                await OnReadingStoppedAsync(_gracefulDeadline);
            }

            if (end != ReadEnd.PeerClosed)
            {
                reason = end == ReadEnd.Rejected ? "closed by this end (a rejection, or the peer's GoAway)" : reason;
                _outbox.Writer.TryComplete();

                // The last frames (a Rejected, or the responses and GoAway of a graceful close) must reach the peer
                // before the close: a graceful close waits up to its deadline plus a flush allowance, since a lost
                // GoAway turns requests that never ran into calls of unknown outcome.
                TimeSpan flush = end == ReadEnd.StopRequested ? Later(_gracefulDeadline - DateTimeOffset.UtcNow, TimeSpan.Zero) + GracefulFlushAllowance : TimeSpan.FromSeconds(1);
                await writeLoop.WaitAsync(flush).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
        catch (SiloProtocolException ex)
        {
            ClusterInstruments.ConnectionAborted("protocol");
            reason = "protocol error: " + ex.Message;
            LogProtocolError(Logger, Peer, ex.Message);
        }
        catch (OperationCanceledException) when (_closed.IsCancellationRequested)
        {
            reason = CloseReason ?? "aborted";
        }
        catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException or ObjectDisposedException or System.Security.Authentication.AuthenticationException)
        {
            reason = "transport error: " + ex.Message;
        }
        finally
        {
            Abort(reason);
            LogClosed(Logger, Peer, CloseReason ?? reason);
            await writeLoop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            await reader.CompleteAsync();
            await writer.CompleteAsync();
            await _stream.DisposeAsync();
        }
    }

    private async Task<ReadEnd> ReadLoopAsync(PipeReader reader)
    {
        CancellationToken token = _closed.Token;
        while (true)
        {
            ReadResult result = await reader.ReadAsync(token);
            ReadOnlySequence<byte> buffer = result.Buffer;
            try
            {
                bool progressed = false;
                while (true)
                {
                    if (Volatile.Read(ref _stopReading) != 0)
                    {
                        // A graceful close: frames not handled yet are never handled (their requests did not run).
                        return ReadEnd.StopRequested;
                    }

                    if (!SiloFrames.TryReadFrame(ref buffer, Options.MaxFrameBytes, out SiloFrameKind kind, out ReadOnlySequence<byte> body))
                    {
                        break;
                    }

                    progressed = true;
                    if (!await HandleFrameAsync(kind, body.IsSingleSegment ? body.First : body.ToArray()))
                    {
                        return ReadEnd.Rejected;
                    }
                }

                if (buffer.IsEmpty)
                {
                    Interlocked.Exchange(ref _frameStartedAt, 0);
                }
                else if (progressed || Interlocked.Read(ref _frameStartedAt) == 0)
                {
                    Interlocked.Exchange(ref _frameStartedAt, Stopwatch.GetTimestamp());
                }

                if (result.IsCompleted)
                {
                    if (!buffer.IsEmpty)
                    {
                        throw new SiloProtocolException($"truncated frame: the peer closed with {buffer.Length} bytes of an incomplete frame");
                    }

                    return ReadEnd.PeerClosed;
                }
            }
            finally
            {
                reader.AdvanceTo(buffer.Start, buffer.End);
            }
        }
    }

    private async Task WriteLoopAsync(PipeWriter writer)
    {
        ChannelReader<byte[]> outbox = _outbox.Reader;
        try
        {
            while (await outbox.WaitToReadAsync(CancellationToken.None))
            {
                while (outbox.TryRead(out byte[]? frame))
                {
                    writer.Write(frame);
                }

                FlushResult flush = await writer.FlushAsync(_closed.Token);
                if (flush.IsCompleted || flush.IsCanceled)
                {
                    return;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException or ObjectDisposedException or OperationCanceledException)
        {
            Abort("write failed: " + ex.Message);
        }
    }

    private static TimeSpan Later(TimeSpan a, TimeSpan b) => a > b ? a : b;

    [LoggerMessage(EventId = 4001, Level = LogLevel.Warning, Message = "Silo connection with {Peer} closed: protocol error: {Reason}")]
    private static partial void LogProtocolError(ILogger logger, string peer, string reason);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Debug, Message = "Silo connection with {Peer} closed: {Reason}")]
    private static partial void LogClosed(ILogger logger, string peer, string reason);
}
