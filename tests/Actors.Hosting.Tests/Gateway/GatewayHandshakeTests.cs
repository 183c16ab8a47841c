using Actors.Client;
using Actors.Invocation;
using Actors.Wire;

namespace Actors.Hosting.Tests.Gateway;

public class GatewayHandshakeTests
{
    [Fact]
    public async Task Connect_RightSecret_Accepted()
    {
        await using GatewayTestSilo silo = await GatewayTestSilo.StartAsync(o => o.Secret = "open sesame");
        (IClusterClient client, IGrainCallInvoker invoker) = TestClients.Create(silo.Address, o => o.Secret = "open sesame");
        await using (client)
        {
            Assert.Equal(2, await invoker.InvokeAsync(TestCalls.Call("Add", 1, 1)));
        }
    }

    [Fact]
    public async Task Connect_WrongSecret_RejectedWithReason()
    {
        await using GatewayTestSilo silo = await GatewayTestSilo.StartAsync(o => o.Secret = "open sesame");
        (IClusterClient client, _) = TestClients.Create(silo.Address, o => o.Secret = "guess");
        await using (client)
        {
            GatewayRejectedException ex = await Assert.ThrowsAsync<GatewayRejectedException>(() => client.ConnectAsync());
            Assert.Contains("shared secret is not valid", ex.Message, StringComparison.Ordinal);
            Assert.Equal(silo.Address, ex.Endpoint);
        }

        await silo.Logs.WaitForAsync("rejected", "shared secret is not valid");
        Assert.Equal(0, silo.Invoker.Calls);
    }

    [Fact]
    public async Task Connect_MissingSecret_RejectionFrameThenClose()
    {
        await using GatewayTestSilo silo = await GatewayTestSilo.StartAsync(o => o.Secret = "open sesame");
        await using RawGatewayConnection raw = await RawGatewayConnection.ConnectAsync(silo.EndPoint);
        await raw.SendAsync(GatewayFrameCodec.EncodeHello(""));
        (GatewayFrameKind kind, byte[] body) = await raw.ReadFrameAsync();
        Assert.Equal(GatewayFrameKind.HelloRejected, kind);
        Assert.Contains("requires a shared secret", GatewayFrameCodec.DecodeHelloRejected(body), StringComparison.Ordinal);
        await raw.WaitForCloseAsync("the handshake was rejected");
    }

    [Fact]
    public async Task Connect_WrongSecretThenRequest_RequestNeverReachesGrain()
    {
        await using GatewayTestSilo silo = await GatewayTestSilo.StartAsync(o => o.Secret = "open sesame");
        await using RawGatewayConnection raw = await RawGatewayConnection.ConnectAsync(silo.EndPoint);
        byte[] hello = GatewayFrameCodec.EncodeHello("nope");
        byte[] request = GatewayFrameCodec.EncodeRequest(1, GrainId.Create("t", "k"), TestCalls.Method("Nothing").Key, []);
        await raw.SendAsync((byte[])[.. hello, .. request]);
        Assert.Equal(GatewayFrameKind.HelloRejected, (await raw.ReadFrameAsync()).Kind);
        await raw.WaitForCloseAsync("the handshake was rejected");
        Assert.Equal(0, silo.Invoker.Calls);
    }
}
