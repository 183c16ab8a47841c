using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Actors.Client;
using Actors.Hosting.Tests.Gateway;
using Actors.Invocation;
using Actors.Wire;

namespace Actors.Hosting.Tests.Client;

/// <summary>
/// The gateway client against a malformed server (a fake gateway on loopback that speaks the handshake, then sends bad
/// bytes once the call's request arrived): the framing rigour of the silo side (FramedConnection) on the client. Each
/// bad frame drops the connection with a typed error naming what was wrong; the call in flight fails typed (never hangs,
/// never crashes the client); an oversized length prefix is refused from its 4 bytes, without buffering the frame.
/// </summary>
public sealed class MalformedGatewayTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Invoke_GatewaySendsLengthPrefixPastMaxFrameBytes_ConnectionLostTypedWithoutBufferingTheFrame()
    {
        byte[] prefix = new byte[5];
        BinaryPrimitives.WriteUInt32LittleEndian(prefix, 0x7FFF_FFF0);
        prefix[4] = (byte)GatewayFrameKind.Response;
        await AssertConnectionLostAsync(prefix, "exceeds MaxFrameBytes");
    }

    [Fact]
    public async Task Invoke_GatewaySendsZeroLengthFrame_ConnectionLostTyped()
        => await AssertConnectionLostAsync([0, 0, 0, 0], "frame length 0");

    [Fact]
    public async Task Invoke_GatewaySendsTruncatedResponseBody_ConnectionLostTyped()
        => await AssertConnectionLostAsync([4, 0, 0, 0, (byte)GatewayFrameKind.Response, 1, 2, 3], "truncated");

    [Fact]
    public async Task Invoke_GatewaySendsUnknownFrameKind_ConnectionLostTyped()
        => await AssertConnectionLostAsync([1, 0, 0, 0, 0xEE], "unexpected frame kind 238");

    [Fact]
    public async Task Connect_GatewayAnswersHelloWithGarbage_UnavailableWithTheProtocolError()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        string address = $"127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}";
        Task server = ServeAsync(listener, handshake: false, [3, 0, 0, 0, (byte)GatewayFrameKind.Request, 9, 9]);
        (IClusterClient client, IGrainCallInvoker _) = TestClients.Create(address, o => o.ConnectAttempts = 1);
        await using (client)
        {
            GatewayUnavailableException refused = await Assert.ThrowsAsync<GatewayUnavailableException>(() => client.ConnectAsync().WaitAsync(Limit));
            GatewayProtocolException protocol = Assert.IsType<GatewayProtocolException>(refused.InnerException);
            Assert.Contains("handshake answer", protocol.Message, StringComparison.Ordinal);
            Assert.False(client.IsConnected);
        }

        await server.WaitAsync(Limit);
    }

    /// <summary>A call through a fake gateway that answers its request with <paramref name="bad"/>: the call fails with <see cref="GatewayConnectionLostException"/> naming <paramref name="reason"/>.</summary>
    private static async Task AssertConnectionLostAsync(byte[] bad, string reason)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        string address = $"127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}";
        Task server = ServeAsync(listener, handshake: true, bad);
        (IClusterClient client, IGrainCallInvoker invoker) = TestClients.Create(address, o => o.ConnectAttempts = 1);
        await using (client)
        {
            GatewayConnectionLostException lost = await Assert.ThrowsAsync<GatewayConnectionLostException>(
                async () => await invoker.InvokeAsync(TestCalls.Call("Add", 1, 2)).AsTask().WaitAsync(Limit));
            GatewayProtocolException protocol = Assert.IsType<GatewayProtocolException>(lost.InnerException);
            Assert.Contains(reason, protocol.Message, StringComparison.Ordinal);
            Assert.Contains(reason, lost.Message, StringComparison.Ordinal);
            await Await.UntilAsync(() => !client.IsConnected, () => "the client to drop the connection after the bad frame");
        }

        // The client closed its end: the fake gateway's read ends.
        await server.WaitAsync(Limit);
    }

    /// <summary>Reads the Hello; answers it (or, without <paramref name="handshake"/>, answers it with <paramref name="bad"/>); then reads frames up to the call's request and sends <paramref name="bad"/>.</summary>
    private static async Task ServeAsync(TcpListener listener, bool handshake, byte[] bad)
    {
        using TcpClient peer = await listener.AcceptTcpClientAsync();
        NetworkStream stream = peer.GetStream();
        Assert.Equal(GatewayFrameKind.Hello, await ReadFrameAsync(stream));
        if (handshake)
        {
            await stream.WriteAsync(GatewayFrameCodec.EncodeHelloAccepted());
            // The client announces its observer host (and may ask for the routing table) before the call's request.
            while (await ReadFrameAsync(stream) is not GatewayFrameKind.Request and not null)
            {
            }
        }

        await stream.WriteAsync(bad);
        byte[] rest = new byte[4096];
        try
        {
            while (await stream.ReadAsync(rest) > 0)
            {
            }
        }
        catch (IOException)
        {
            // The client reset the connection: it dropped it, which is what the test waits for.
        }
    }

    private static async Task<GatewayFrameKind?> ReadFrameAsync(NetworkStream stream)
    {
        byte[] prefix = new byte[4];
        try
        {
            await stream.ReadExactlyAsync(prefix);
        }
        catch (EndOfStreamException)
        {
            return null;
        }

        byte[] frame = new byte[BinaryPrimitives.ReadUInt32LittleEndian(prefix)];
        await stream.ReadExactlyAsync(frame);
        return (GatewayFrameKind)frame[0];
    }
}
