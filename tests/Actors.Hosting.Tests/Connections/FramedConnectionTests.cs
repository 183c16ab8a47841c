using System.Buffers;
using System.Net;
using System.Net.Sockets;
using Actors.Hosting.Connections;

namespace Actors.Hosting.Tests.Connections;

/// <summary>
/// The framed connection shared by the gateway and the silo transport, under a toy protocol (frame = length byte, kind
/// byte, body; every frame is echoed): how it ends for each cause, graceful close, deadlines. The two real protocols'
/// malformed-peer and backpressure tests run over it too.
/// </summary>
public sealed class FramedConnectionTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task RunFramesAsync_PeerClosesInsideAFrame_EndsAsAProtocolErrorInTheProtocolsException()
    {
        await using var pair = await SocketPair.OpenAsync();
        var connection = new EchoConnection(Limits());
        Task run = connection.RunAsync(pair.Server);

        await pair.Client.SendAsync(new byte[] { 5, 1, (byte)'a' });
        pair.Client.Shutdown(SocketShutdown.Send);
        await run.WaitAsync(Patience);

        Assert.Equal("ProtocolError", connection.End);
        Assert.Contains("truncated frame", connection.EndReason, StringComparison.Ordinal);
        Assert.False(connection.IsAlive);
    }

    [Fact]
    public async Task CloseGracefully_AfterAnEcho_LastFrameReachesThePeerThenTheConnectionCloses()
    {
        await using var pair = await SocketPair.OpenAsync();
        var connection = new EchoConnection(Limits());
        Task run = connection.RunAsync(pair.Server);
        await pair.Client.SendAsync(new byte[] { 2, 1, (byte)'h', (byte)'i' });
        Assert.Equal("hi", await ReadFrameAsync(pair.Client));

        connection.CloseGracefully(DateTimeOffset.UtcNow + TimeSpan.FromSeconds(10));

        Assert.Equal("bye", await ReadFrameAsync(pair.Client));
        Assert.Equal(0, await pair.Client.ReceiveAsync(new byte[1].AsMemory()).AsTask().WaitAsync(Patience));
        await run.WaitAsync(Patience);
        Assert.Equal("ClosedGracefully", connection.End);
        Assert.Equal(1, connection.Handled);
    }

    [Fact]
    public async Task CheckDeadlines_NoHandshakeInTime_AbortsAndNamesTheDeadline()
    {
        await using var pair = await SocketPair.OpenAsync();
        var connection = new EchoConnection(Limits() with { HandshakeTimeout = TimeSpan.FromMilliseconds(1) }, handshakeDone: false);
        Task run = connection.RunAsync(pair.Server);

        DateTime deadline = DateTime.UtcNow + Patience;
        while (connection.IsAlive && DateTime.UtcNow < deadline)
        {
            connection.CheckDeadlines();
            await Task.Delay(10);
        }

        await run.WaitAsync(Patience);
        Assert.Equal("handshake-timeout", connection.MissedDeadline);
        Assert.Equal("Aborted", connection.End);
        Assert.Contains("HandshakeTimeout", connection.CloseReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HandleFrame_OversizedLength_EndsAsAProtocolErrorBeforeReadingTheBody()
    {
        await using var pair = await SocketPair.OpenAsync();
        var connection = new EchoConnection(Limits() with { MaxFrameBytes = 8 });
        Task run = connection.RunAsync(pair.Server);

        await pair.Client.SendAsync(new byte[] { 200, 1 });
        await run.WaitAsync(Patience);

        Assert.Equal("ProtocolError", connection.End);
        Assert.Contains("200 bytes", connection.EndReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DisposeAsync_NeverStarted_CompletesAndClosesOnce()
    {
        var connection = new EchoConnection(Limits());

        await connection.DisposeAsync().AsTask().WaitAsync(Patience);

        Assert.False(connection.IsAlive);
        Assert.Equal(1, connection.ClosedCount);
    }

    private static FramedConnectionLimits Limits() => new(64, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(30), OutboxCapacity: 4);

    private static async Task<string> ReadFrameAsync(Socket socket)
    {
        byte[] header = await ReadExactlyAsync(socket, 2);
        byte[] body = await ReadExactlyAsync(socket, header[0]);
        return System.Text.Encoding.ASCII.GetString(body);
    }

    private static async Task<byte[]> ReadExactlyAsync(Socket socket, int count)
    {
        byte[] buffer = new byte[count];
        int read = 0;
        while (read < count)
        {
            int n = await socket.ReceiveAsync(buffer.AsMemory(read)).AsTask().WaitAsync(Patience);
            Assert.True(n > 0, $"the connection closed after {read} of {count} bytes");
            read += n;
        }

        return buffer;
    }

    private sealed class EchoConnection(FramedConnectionLimits limits, bool handshakeDone = true) : FramedConnection<EchoKind>(limits)
    {
        private int _closed;

        public string? End { get; private set; }

        public string EndReason { get; private set; } = "";

        public string? MissedDeadline { get; private set; }

        public int Handled { get; private set; }

        public int ClosedCount => Volatile.Read(ref _closed);

        public Task RunAsync(Stream stream)
        {
            HandshakeDone = handshakeDone;
            return RunFramesAsync(stream);
        }

        protected override bool TryReadFrame(ref ReadOnlySequence<byte> buffer, out EchoKind kind, out ReadOnlySequence<byte> body)
        {
            kind = default;
            body = default;
            if (buffer.Length < 2)
            {
                return false;
            }

            byte[] header = buffer.Slice(0, 2).ToArray();
            if (header[0] > Limits.MaxFrameBytes)
            {
                throw new InvalidDataException($"a frame of {header[0]} bytes is over the limit");
            }

            if (buffer.Length < 2 + header[0])
            {
                return false;
            }

            kind = (EchoKind)header[1];
            body = buffer.Slice(2, header[0]);
            buffer = buffer.Slice(2 + header[0]);
            return true;
        }

        protected override async ValueTask<bool> HandleFrameAsync(EchoKind kind, ReadOnlySequence<byte> body)
        {
            Handled++;
            return await TrySendFrameAsync([(byte)body.Length, (byte)kind, .. body.ToArray()], Closed);
        }

        protected override bool IsProtocolViolation(Exception exception) => exception is InvalidDataException;

        protected override Exception ProtocolViolation(string message) => new InvalidDataException(message);

        protected override async ValueTask OnReadingStoppedAsync(DateTimeOffset deadline)
            => await TrySendFrameAsync([3, (byte)EchoKind.Data, (byte)'b', (byte)'y', (byte)'e'], Closed);

        protected override void OnClosed(string reason) => Interlocked.Increment(ref _closed);

        protected override void OnDeadlineMissed(string deadline) => MissedDeadline = deadline;

        protected override void OnEnded(ReadEnd end, string reason)
        {
            End = end.ToString();
            EndReason = reason;
        }
    }

    private enum EchoKind : byte
    {
        Data = 1,
    }

    /// <summary>A loopback TCP connection: the server end as a stream, the client end as a socket.</summary>
    private sealed class SocketPair : IAsyncDisposable
    {
        private SocketPair(Stream server, Socket client)
        {
            Server = server;
            Client = client;
        }

        public Stream Server { get; }

        public Socket Client { get; }

        public static async Task<SocketPair> OpenAsync()
        {
            using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            listener.Listen(1);
            var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            Task<Socket> accepted = listener.AcceptAsync();
            await client.ConnectAsync(listener.LocalEndPoint!);
            return new SocketPair(new NetworkStream(await accepted, ownsSocket: true), client);
        }

        public async ValueTask DisposeAsync()
        {
            Client.Dispose();
            await Server.DisposeAsync();
        }
    }
}
