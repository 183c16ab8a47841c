using System.Buffers.Binary;
using Actors.Client;
using Actors.Invocation;
using Actors.Wire;

namespace Actors.Hosting.Tests.Gateway;

public class GatewayProtocolErrorTests
{
    private static async Task AssertHealthyClientAsync(GatewayTestSilo silo, IGrainCallInvoker invoker, int a)
    {
        Assert.Equal(a + 1, await invoker.InvokeAsync(TestCalls.Call("Add", a, 1)));
    }

    [Fact]
    public async Task Gateway_GarbageAfterHandshake_ClosesOnlyThatConnection()
    {
        await using GatewayTestSilo silo = await GatewayTestSilo.StartAsync();
        (IClusterClient client, IGrainCallInvoker invoker) = TestClients.Create(silo.Address);
        await using (client)
        {
            await AssertHealthyClientAsync(silo, invoker, 1);
            await using RawGatewayConnection raw = await RawGatewayConnection.ConnectAndHandshakeAsync(silo.EndPoint);
            // A well-formed length with an unknown kind byte.
            await raw.SendAsync(new byte[] { 3, 0, 0, 0, 0xEE, 1, 2 });
            await raw.WaitForCloseAsync("it sent a frame of unknown kind 238");
            await silo.Logs.WaitForAsync("protocol error", "unexpected frame kind 238");
            await AssertHealthyClientAsync(silo, invoker, 2);
        }
    }

    [Fact]
    public async Task Gateway_SecondObserverHostFrame_ClosesOnlyThatConnection()
    {
        await using GatewayTestSilo silo = await GatewayTestSilo.StartAsync();
        (IClusterClient client, IGrainCallInvoker invoker) = TestClients.Create(silo.Address);
        await using (client)
        {
            await AssertHealthyClientAsync(silo, invoker, 1);
            await using RawGatewayConnection raw = await RawGatewayConnection.ConnectAndHandshakeAsync(silo.EndPoint);
            await raw.SendAsync(GatewayFrameCodec.EncodeObserverHost("raw-client"));
            await raw.SendAsync(GatewayFrameCodec.EncodeObserverHost("other-client"));
            await raw.WaitForCloseAsync("it announced a second observer host id");
            await silo.Logs.WaitForAsync("protocol error", "a second ObserverHost frame");
            await AssertHealthyClientAsync(silo, invoker, 2);
        }
    }

    [Fact]
    public async Task Gateway_MalformedRequestBody_ClosesOnlyThatConnection()
    {
        await using GatewayTestSilo silo = await GatewayTestSilo.StartAsync();
        (IClusterClient client, IGrainCallInvoker invoker) = TestClients.Create(silo.Address);
        await using (client)
        {
            await AssertHealthyClientAsync(silo, invoker, 1);
            await using RawGatewayConnection raw = await RawGatewayConnection.ConnectAndHandshakeAsync(silo.EndPoint);
            byte[] frame = GatewayFrameCodec.EncodeRequest(5, GrainId.Create("t", "k"), "m", [[1, 2]]);
            // Claim a longer argument than the frame holds (the last u32 length field before the 2 argument bytes).
            BinaryPrimitives.WriteUInt32LittleEndian(frame.AsSpan(frame.Length - 6), 1000);
            await raw.SendAsync(frame);
            await raw.WaitForCloseAsync("its request claimed a 1000-byte argument in a short frame");
            await silo.Logs.WaitForAsync("protocol error", "truncated blob field");
            await AssertHealthyClientAsync(silo, invoker, 2);
        }
    }

    [Fact]
    public async Task Gateway_OversizedLengthPrefix_ClosesOnlyThatConnection()
    {
        await using GatewayTestSilo silo = await GatewayTestSilo.StartAsync(o => o.MaxFrameBytes = 64 * 1024);
        (IClusterClient client, IGrainCallInvoker invoker) = TestClients.Create(silo.Address);
        await using (client)
        {
            await AssertHealthyClientAsync(silo, invoker, 1);
            await using RawGatewayConnection raw = await RawGatewayConnection.ConnectAndHandshakeAsync(silo.EndPoint);
            byte[] prefix = new byte[4];
            BinaryPrimitives.WriteUInt32LittleEndian(prefix, 0x7FFF_FFF0);
            await raw.SendAsync(prefix);
            await raw.WaitForCloseAsync("it announced a 2 GiB frame");
            await silo.Logs.WaitForAsync("protocol error", "exceeds MaxFrameBytes 65536");
            await AssertHealthyClientAsync(silo, invoker, 2);
        }
    }

    [Fact]
    public async Task Gateway_TruncatedFrameThenClientCloses_LoggedAndOthersUnaffected()
    {
        await using GatewayTestSilo silo = await GatewayTestSilo.StartAsync();
        (IClusterClient client, IGrainCallInvoker invoker) = TestClients.Create(silo.Address);
        await using (client)
        {
            await using RawGatewayConnection raw = await RawGatewayConnection.ConnectAndHandshakeAsync(silo.EndPoint);
            byte[] frame = GatewayFrameCodec.EncodeRequest(5, GrainId.Create("t", "k"), TestCalls.Method("Add").Key, [[(byte)'1'], [(byte)'2']]);
            await raw.SendAsync(frame.AsMemory(0, frame.Length - 3));
            raw.ShutdownSend();
            await raw.WaitForCloseAsync("it closed its side in the middle of a frame");
            await silo.Logs.WaitForAsync("protocol error", "truncated frame");
            await AssertHealthyClientAsync(silo, invoker, 3);
        }
    }

    [Fact]
    public async Task Gateway_RequestBeforeHello_Closed()
    {
        await using GatewayTestSilo silo = await GatewayTestSilo.StartAsync();
        await using RawGatewayConnection raw = await RawGatewayConnection.ConnectAsync(silo.EndPoint);
        await raw.SendAsync(GatewayFrameCodec.EncodeRequest(1, GrainId.Create("t", "k"), "m", []));
        await raw.WaitForCloseAsync("it sent a request before the handshake");
        await silo.Logs.WaitForAsync("protocol error", "expected a Hello frame first");
    }

    [Fact]
    public async Task Gateway_HttpRequestInsteadOfHello_Closed()
    {
        await using GatewayTestSilo silo = await GatewayTestSilo.StartAsync();
        await using RawGatewayConnection raw = await RawGatewayConnection.ConnectAsync(silo.EndPoint);
        await raw.SendAsync("GET / HTTP/1.1\r\nHost: x\r\n\r\n"u8.ToArray());
        await raw.WaitForCloseAsync("it spoke HTTP");
        await silo.Logs.WaitForAsync("protocol error");
    }

    [Fact]
    public async Task Gateway_SlowlyDribbledFrame_ClosedByFrameReceiveTimeout()
    {
        await using GatewayTestSilo silo = await GatewayTestSilo.StartAsync(o => o.FrameReceiveTimeout = TimeSpan.FromMilliseconds(300));
        (IClusterClient client, IGrainCallInvoker invoker) = TestClients.Create(silo.Address);
        await using (client)
        {
            await using RawGatewayConnection raw = await RawGatewayConnection.ConnectAndHandshakeAsync(silo.EndPoint);
            byte[] frame = GatewayFrameCodec.EncodeRequest(5, GrainId.Create("t", "k"), TestCalls.Method("Add").Key, [[(byte)'1'], [(byte)'2']]);
            await raw.SendAsync(frame.AsMemory(0, 6));
            await raw.WaitForCloseAsync("its frame stopped after 6 bytes and FrameReceiveTimeout is 300 ms");
            await silo.Logs.WaitForAsync("FrameReceiveTimeout");
            await AssertHealthyClientAsync(silo, invoker, 4);
        }
    }

    [Fact]
    public async Task Gateway_NoHandshake_ClosedByHandshakeTimeout()
    {
        await using GatewayTestSilo silo = await GatewayTestSilo.StartAsync(o => o.HandshakeTimeout = TimeSpan.FromMilliseconds(300));
        await using RawGatewayConnection raw = await RawGatewayConnection.ConnectAsync(silo.EndPoint);
        await raw.WaitForCloseAsync("it never sent a Hello and HandshakeTimeout is 300 ms");
        await silo.Logs.WaitForAsync("HandshakeTimeout");
        await Await.UntilAsync(() => silo.Info.ActiveConnections == 0, () => $"no open connections (open: {silo.Info.ActiveConnections})");
    }

    [Fact]
    public async Task Gateway_IdleAfterHandshake_StaysOpen()
    {
        await using GatewayTestSilo silo = await GatewayTestSilo.StartAsync(o =>
        {
            o.HandshakeTimeout = TimeSpan.FromSeconds(1);
            o.FrameReceiveTimeout = TimeSpan.FromMilliseconds(100);
        });
        (IClusterClient client, IGrainCallInvoker invoker) = TestClients.Create(silo.Address);
        await using (client)
        {
            await AssertHealthyClientAsync(silo, invoker, 1);
            // The probe is closed by the deadline sweep at least 1 s after the client's last frame, so that sweep also
            // saw the idle, handshaken client (idle far longer than FrameReceiveTimeout): it must leave it open.
            await using RawGatewayConnection probe = await RawGatewayConnection.ConnectAsync(silo.EndPoint);
            await probe.WaitForCloseAsync("the probe never shook hands (HandshakeTimeout 1 s)");
            Assert.True(client.IsConnected, "an idle, handshaken client must not be closed by the deadline sweep");
            await AssertHealthyClientAsync(silo, invoker, 2);
        }
    }
}
