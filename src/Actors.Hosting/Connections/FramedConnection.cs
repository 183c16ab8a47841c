using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;
using System.Threading.Channels;

namespace Actors.Hosting.Connections;

/// <summary>
/// What every length-prefixed, multiplexed connection a silo serves shares (the gateway's client connections and both ends
/// of a silo-to-silo connection): frames read with <see cref="System.IO.Pipelines"/> by a protocol's parser (which checks
/// the length before anything is buffered), one writer loop fed by an outbox (bounded: senders wait when it is full;
/// or unbounded), handshake and frame deadlines swept by <see cref="CheckDeadlines"/>, an abort that fails this
/// connection only, and a graceful close (<see cref="CloseGracefully"/>) that stops reading, lets the protocol finish
/// what it read and queue its last frame (the one that tells the peer which requests never ran), then closes.
/// </summary>
/// <typeparam name="TKind">The protocol's frame kind.</typeparam>
/// <remarks>
/// <para>
/// A protocol derives from it and keeps what must differ: its frame layout (<see cref="TryReadFrame"/>), its handshake
/// and frame handling (<see cref="HandleFrameAsync"/>), what it does with the work it read when reading stops
/// (<see cref="OnReadingStoppedAsync"/>), what fails when the connection closes (<see cref="OnClosed"/>), which exceptions
/// are the peer's protocol violations, and its logs and instruments (<see cref="OnEnded"/>).
/// </para>
/// <para>
/// However the reading ends, the outbox is completed and what it holds gets <see cref="FinalFramesAllowance"/> (after the
/// graceful deadline, for a graceful close) to reach the peer before the connection is cut: a lost last frame turns
/// requests that never ran into calls of unknown outcome. Thread-safe: <see cref="Abort"/>, <see cref="CheckDeadlines"/>,
/// <see cref="CloseGracefully"/> and the send methods may be called from any thread.
/// </para>
/// </remarks>
public abstract class FramedConnection<TKind> : IAsyncDisposable
    where TKind : struct, Enum
{
    /// <summary>How long a closing connection lets its queued frames be written (after the graceful deadline, if any) before it cuts the socket.</summary>
    public static readonly TimeSpan FinalFramesAllowance = TimeSpan.FromSeconds(5);

    private readonly Channel<byte[]> _outbox;
    private readonly CancellationTokenSource _closed = new();
    private readonly long _openedAt = Stopwatch.GetTimestamp();
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _frameStartedAt;
    private string? _closeReason;
    private PipeReader? _reader;
    private int _stopReading;
    private int _started;
    private long _gracefulDeadlineTicks;
    private volatile bool _handshakeDone;

    /// <summary>Creates the connection; nothing runs before <see cref="RunFramesAsync"/>.</summary>
    /// <param name="limits">The frame size, deadlines and outbox capacity.</param>
    protected FramedConnection(FramedConnectionLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        Limits = limits;
        _outbox = limits.OutboxCapacity is { } capacity
            ? Channel.CreateBounded<byte[]>(new BoundedChannelOptions(capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait })
            : Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true });
    }

    /// <summary>How the reading of a connection ended (for logs and instruments).</summary>
    protected enum ReadEnd
    {
        /// <summary>The peer closed its side at a frame boundary.</summary>
        PeerClosed,

        /// <summary>This end decided to close (<see cref="HandleFrameAsync"/> returned false: a rejected handshake, a GoAway).</summary>
        ClosedByThisEnd,

        /// <summary>A graceful close (<see cref="CloseGracefully"/>) stopped the reading.</summary>
        ClosedGracefully,

        /// <summary>The peer broke the protocol (a malformed, oversized, truncated or unexpected frame).</summary>
        ProtocolError,

        /// <summary>The connection was aborted (<see cref="Abort"/>: a deadline, a drain that ran out, disposal).</summary>
        Aborted,

        /// <summary>The transport failed (reset, TLS failure).</summary>
        TransportError,
    }

    /// <summary>The frame size, deadlines and outbox capacity.</summary>
    protected FramedConnectionLimits Limits { get; }

    /// <summary>True until the connection closes.</summary>
    public bool IsAlive => Volatile.Read(ref _closeReason) is null;

    /// <summary>Why the connection closed, or null.</summary>
    public string? CloseReason => Volatile.Read(ref _closeReason);

    /// <summary>Completes when the connection has closed and its loops ended (never faults).</summary>
    public Task Completion => _completion.Task;

    /// <summary>Cancelled when the connection closes.</summary>
    protected CancellationToken Closed => _closed.Token;

    /// <summary>Whether the protocol's handshake completed (until then the handshake deadline applies).</summary>
    protected bool HandshakeDone
    {
        get => _handshakeDone;
        set => _handshakeDone = value;
    }

    /// <summary>The outbox's writer, for components that queue frames themselves (completed when the connection closes).</summary>
    protected ChannelWriter<byte[]> Outbox => _outbox.Writer;

    /// <summary>Closes the connection with a reason. Thread-safe; the first reason wins and <see cref="OnClosed"/> runs once.</summary>
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
        if (!HandshakeDone && Stopwatch.GetElapsedTime(_openedAt, now) > Limits.HandshakeTimeout)
        {
            OnDeadlineMissed("handshake-timeout");
            Abort($"no handshake within HandshakeTimeout {Limits.HandshakeTimeout}");
            return;
        }

        long started = Interlocked.Read(ref _frameStartedAt);
        if (started != 0 && Stopwatch.GetElapsedTime(started, now) > Limits.FrameReceiveTimeout)
        {
            OnDeadlineMissed("frame-timeout");
            Abort($"a frame did not arrive completely within FrameReceiveTimeout {Limits.FrameReceiveTimeout}");
        }
    }

    /// <summary>
    /// Starts a graceful close: no frame is read (or handled) any more, <see cref="OnReadingStoppedAsync"/> gets until
    /// <paramref name="deadline"/> to finish the work already read, what is queued is written, then the connection closes.
    /// Idempotent; <see cref="Completion"/> completes when it is closed.
    /// </summary>
    public void CloseGracefully(DateTimeOffset deadline)
    {
        Interlocked.Exchange(ref _gracefulDeadlineTicks, deadline.UtcTicks);
        if (Interlocked.Exchange(ref _stopReading, 1) == 0)
        {
            Volatile.Read(ref _reader)?.CancelPendingRead();
        }
    }

    /// <summary>Aborts the connection and waits until it has closed.</summary>
    public async ValueTask DisposeAsync()
    {
        Abort("disposed");
        if (Interlocked.Exchange(ref _started, 1) == 0)
        {
            // Never started: nothing runs that could complete it.
            _completion.TrySetResult();
        }

        await Completion;
        GC.SuppressFinalize(this);
    }

    /// <summary>Queues a frame, waiting while a bounded outbox is full.</summary>
    /// <returns>False when the connection closed: the frame was not queued (never sent).</returns>
    protected async ValueTask<bool> TrySendFrameAsync(byte[] frame, CancellationToken cancellationToken)
    {
        try
        {
            await _outbox.Writer.WriteAsync(frame, cancellationToken);
            return true;
        }
        catch (ChannelClosedException)
        {
            return false;
        }
    }

    /// <summary>Reads the next complete frame from <paramref name="buffer"/> (the protocol's layout); false when it needs more bytes.</summary>
    /// <exception cref="Exception">A violation the protocol reports with its own exception type (<see cref="IsProtocolViolation"/>).</exception>
    protected abstract bool TryReadFrame(ref ReadOnlySequence<byte> buffer, out TKind kind, out ReadOnlySequence<byte> body);

    /// <summary>Handles one frame (its body is valid until the call returns); false closes the connection after what is queued was written.</summary>
    protected abstract ValueTask<bool> HandleFrameAsync(TKind kind, ReadOnlySequence<byte> body);

    /// <summary>Whether <paramref name="exception"/> is the protocol's report of a peer's violation (closes this connection only).</summary>
    protected abstract bool IsProtocolViolation(Exception exception);

    /// <summary>The protocol's exception for a violation this class finds (a frame cut off by the peer's close).</summary>
    protected abstract Exception ProtocolViolation(string message);

    /// <summary>
    /// Called after a graceful close stopped the reading, before the queued frames are flushed and the connection closes:
    /// finish the work already read (until <paramref name="deadline"/>) and queue the last frame; <see cref="Abort"/> when
    /// that cannot be done in time. Nothing by default.
    /// </summary>
    protected virtual ValueTask OnReadingStoppedAsync(DateTimeOffset deadline) => ValueTask.CompletedTask;

    /// <summary>Called once when the connection closes, before its socket is cut (fail pending work here). Nothing by default.</summary>
    protected virtual void OnClosed(string reason)
    {
    }

    /// <summary>Called when <see cref="CheckDeadlines"/> aborts the connection (<c>handshake-timeout</c> or <c>frame-timeout</c>). Nothing by default.</summary>
    protected virtual void OnDeadlineMissed(string deadline)
    {
    }

    /// <summary>Called once when the connection has ended, with how and why (logs and instruments). Nothing by default.</summary>
    protected virtual void OnEnded(ReadEnd end, string reason)
    {
    }

    /// <summary>Runs the connection over <paramref name="stream"/> until it closes; the stream is disposed at the end.</summary>
    /// <remarks>Call it once; a connection disposed before it ran closes the stream at once.</remarks>
    protected async Task RunFramesAsync(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (Interlocked.Exchange(ref _started, 1) != 0)
        {
            await stream.DisposeAsync();
            return;
        }

        PipeReader reader = PipeReader.Create(stream, new StreamPipeReaderOptions(leaveOpen: true));
        PipeWriter writer = PipeWriter.Create(stream, new StreamPipeWriterOptions(leaveOpen: true));
        Volatile.Write(ref _reader, reader);
        if (Volatile.Read(ref _stopReading) != 0)
        {
            reader.CancelPendingRead();
        }

        Task writeLoop = WriteLoopAsync(writer);
        ReadEnd end;
        string reason;
        try
        {
            end = await ReadLoopAsync(reader);
            reason = end switch
            {
                ReadEnd.PeerClosed => "closed by the peer",
                ReadEnd.ClosedGracefully => "closed gracefully",
                _ => "closed by this end",
            };
            if (end == ReadEnd.ClosedGracefully)
            {
                await OnReadingStoppedAsync(GracefulDeadline);
                _closed.Token.ThrowIfCancellationRequested();
            }

            _outbox.Writer.TryComplete();
            TimeSpan flush = end == ReadEnd.ClosedGracefully ? Later(GracefulDeadline - DateTimeOffset.UtcNow, TimeSpan.Zero) + FinalFramesAllowance : FinalFramesAllowance;
            await writeLoop.WaitAsync(flush).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
        catch (Exception ex) when (IsProtocolViolation(ex))
        {
            end = ReadEnd.ProtocolError;
            reason = "protocol error: " + ex.Message;

            // What is queued (responses already made) still leaves, within the allowance.
            _outbox.Writer.TryComplete();
            await writeLoop.WaitAsync(FinalFramesAllowance).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
        catch (OperationCanceledException) when (_closed.IsCancellationRequested)
        {
            end = ReadEnd.Aborted;
            reason = CloseReason ?? "aborted";
        }
        catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException or ObjectDisposedException or System.Security.Authentication.AuthenticationException)
        {
            end = ReadEnd.TransportError;
            reason = "transport error: " + ex.Message;
        }

        try
        {
            Abort(reason);
            OnEnded(end, CloseReason ?? reason);
            await writeLoop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            await reader.CompleteAsync();
            await writer.CompleteAsync();
            await stream.DisposeAsync();
        }
        finally
        {
            _completion.TrySetResult();
        }
    }

    private DateTimeOffset GracefulDeadline => new(Interlocked.Read(ref _gracefulDeadlineTicks), TimeSpan.Zero);

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
                        buffer = buffer.Slice(buffer.End);
                        return ReadEnd.ClosedGracefully;
                    }

                    if (!TryReadFrame(ref buffer, out TKind kind, out ReadOnlySequence<byte> body))
                    {
                        break;
                    }

                    progressed = true;
                    if (!await HandleFrameAsync(kind, body))
                    {
                        return ReadEnd.ClosedByThisEnd;
                    }
                }

                // The frame deadline runs from when the first bytes of the incomplete frame were seen: reset between
                // frames, restarted when complete frames were consumed and a new partial one remains.
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
                        throw ProtocolViolation($"truncated frame: the peer closed the connection with {buffer.Length} bytes of an incomplete frame");
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
        catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException or ObjectDisposedException or OperationCanceledException or System.Security.Authentication.AuthenticationException)
        {
            Abort("write failed: " + ex.Message);
        }
    }

    private static TimeSpan Later(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
