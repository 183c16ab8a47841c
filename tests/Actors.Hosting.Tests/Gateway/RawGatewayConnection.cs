using System.Buffers;
using System.Net;
using System.Net.Sockets;
using Actors.Wire;

namespace Actors.Hosting.Tests.Gateway;

/// <summary>A raw TCP connection to a gateway, for sending arbitrary (also broken) bytes and reading frames.</summary>
internal sealed class RawGatewayConnection : IAsyncDisposable
{
    private static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(15);
    private readonly Socket _socket;
    private byte[] _pending = [];

    private RawGatewayConnection(Socket socket) => _socket = socket;

    public static async Task<RawGatewayConnection> ConnectAsync(IPEndPoint endPoint)
    {
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(endPoint);
        return new RawGatewayConnection(socket);
    }

    public static async Task<RawGatewayConnection> ConnectAndHandshakeAsync(IPEndPoint endPoint, string secret = "")
    {
        RawGatewayConnection raw = await ConnectAsync(endPoint);
        await raw.SendAsync(GatewayFrameCodec.EncodeHello(secret));
        (GatewayFrameKind kind, _) = await raw.ReadFrameAsync();
        Assert.Equal(GatewayFrameKind.HelloAccepted, kind);
        return raw;
    }

    public async Task SendAsync(ReadOnlyMemory<byte> bytes) => await _socket.SendAsync(bytes);

    public void ShutdownSend() => _socket.Shutdown(SocketShutdown.Send);

    /// <summary>Reads one whole frame; fails if the connection closes first.</summary>
    public async Task<(GatewayFrameKind Kind, byte[] Body)> ReadFrameAsync()
    {
        using var timeout = new CancellationTokenSource(WaitLimit);
        var buffer = new byte[64 * 1024];
        while (true)
        {
            var sequence = new ReadOnlySequence<byte>(_pending);
            if (GatewayFrameCodec.TryReadFrame(ref sequence, int.MaxValue, out GatewayFrameKind kind, out ReadOnlySequence<byte> body))
            {
                byte[] bodyBytes = body.ToArray();
                _pending = sequence.ToArray();
                return (kind, bodyBytes);
            }

            int read;
            try
            {
                read = await _socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"No complete frame from the gateway within {WaitLimit} ({_pending.Length} bytes buffered).");
            }

            if (read == 0)
            {
                throw new IOException($"The gateway closed the connection before a complete frame ({_pending.Length} bytes buffered).");
            }

            _pending = [.. _pending, .. buffer.AsSpan(0, read)];
        }
    }

    /// <summary>Waits until the gateway closes the connection (reads and discards anything sent before that).</summary>
    public async Task WaitForCloseAsync(string because)
    {
        using var timeout = new CancellationTokenSource(WaitLimit);
        var buffer = new byte[4096];
        try
        {
            while (true)
            {
                int read = await _socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
                if (read == 0)
                {
                    return;
                }
            }
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionReset)
        {
            return;
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"The gateway did not close the connection within {WaitLimit} although {because}.");
        }
    }

    /// <summary>
    /// Reads (and discards) until the gateway ends the connection: true when it closed in order (FIN), false when it reset
    /// it (a reset may discard frames the gateway wrote just before).
    /// </summary>
    public async Task<bool> ReadUntilClosedInOrderAsync()
    {
        using var timeout = new CancellationTokenSource(WaitLimit);
        var buffer = new byte[4096];
        try
        {
            while (await _socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token) > 0)
            {
            }

            return true;
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionReset)
        {
            return false;
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"The gateway did not close the connection within {WaitLimit}.");
        }
    }

    public ValueTask DisposeAsync()
    {
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }
}
