using Actors.Cluster.Messaging;
using Actors.Cluster.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace Actors.Cluster.Tests.Messaging;

/// <summary>The fault-injecting proxy between silos: real silo transports on loopback, their links cut and healed.</summary>
public sealed class SiloLinkProxyTests : IAsyncLifetime
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);
    private readonly SiloLinkProxy _links = new();
    private readonly List<SiloTransport> _transports = [];
    private readonly EchoHandler _handler = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (SiloTransport transport in _transports)
        {
            await transport.DisposeAsync();
        }

        await _links.DisposeAsync();
    }

    [Fact]
    public async Task Cut_OpenConnectionBlackholed_RequestNeverHandledUntilHealedThenServedAgain()
    {
        SiloAddress b = Listen("b");
        SiloTransport a = Transport("a");
        Assert.Equal(new byte[] { 2, 1 }, await a.SendAsync(b, SiloMessageType.Ping, new byte[] { 1, 2 }, TimeSpan.FromSeconds(30), CancellationToken.None));
        Assert.True(_links.BytesForwarded > 0);
        int handled = _handler.Handled;

        _links.Cut("a", "b");
        await Assert.ThrowsAsync<TimeoutException>(() => a.SendAsync(b, SiloMessageType.Ping, new byte[] { 3 }, TimeSpan.FromMilliseconds(500), CancellationToken.None));

        Assert.Equal(handled, _handler.Handled);
        Assert.True(_links.BytesDropped > 0, "the request's bytes were not dropped by the cut");
        _links.HealAll();
        await Eventually.TrueAsync(async () => await TrySendAsync(a, b, 4) is [4], Limit, "a's requests served by b again after the heal");
    }

    [Fact]
    public async Task Cut_NewConnectionHeldWithoutForwarding_OtherLinksUnaffected()
    {
        SiloAddress b = Listen("b");
        SiloTransport a = Transport("a");
        SiloTransport c = Transport("c");

        _links.Cut("a", "b");
        Exception refused = await Assert.ThrowsAnyAsync<Exception>(() => a.SendAsync(b, SiloMessageType.Ping, new byte[] { 1 }, TimeSpan.FromMilliseconds(500), CancellationToken.None));

        Assert.True(refused is SiloUnreachableException or TimeoutException, $"expected an unreachable or timed-out request across the cut, got {refused.GetType().Name}: {refused.Message}");
        Assert.True(_links.ConnectionsHeld >= 1, "no connection across the cut was held");
        Assert.Equal(0, _handler.Handled);
        Assert.Equal(new byte[] { 5 }, await c.SendAsync(b, SiloMessageType.Ping, new byte[] { 5 }, TimeSpan.FromSeconds(30), CancellationToken.None));
        _links.HealAll();
        await Eventually.TrueAsync(async () => await TrySendAsync(a, b, 6) is [6], Limit, "a's requests served by b after the heal");
    }

    [Fact]
    public async Task CutOneWay_AcceptorsBytesDropped_RequestHandledButItsResponseNeverArrives()
    {
        (SiloTransport a, SiloAddress b, int handled) = await ConnectedPairAsync();

        _links.CutOneWay("b", "a");
        await Assert.ThrowsAsync<TimeoutException>(() => a.SendAsync(b, SiloMessageType.Ping, new byte[] { 3 }, TimeSpan.FromMilliseconds(500), CancellationToken.None));

        await Eventually.TrueAsync(() => _handler.Handled == handled + 1, Limit, "a's request reached b across the one-way cut and was handled");
        Assert.True(_links.BytesDropped > 0, "b's response was not dropped by the cut");
        await HealAndWaitAsync(a, b);
    }

    [Fact]
    public async Task CutOneWay_InitiatorsBytesDropped_RequestNeverHandled()
    {
        (SiloTransport a, SiloAddress b, int handled) = await ConnectedPairAsync();

        _links.CutOneWay("a", "b");
        await Assert.ThrowsAsync<TimeoutException>(() => a.SendAsync(b, SiloMessageType.Ping, new byte[] { 3 }, TimeSpan.FromMilliseconds(500), CancellationToken.None));

        Assert.Equal(handled, _handler.Handled);
        Assert.True(_links.BytesDropped > 0, "a's request was not dropped by the cut");
        await HealAndWaitAsync(a, b);
    }

    /// <summary>Silo a connected to silo b through the proxy (one request answered); the requests b handled so far.</summary>
    private async Task<(SiloTransport A, SiloAddress B, int Handled)> ConnectedPairAsync()
    {
        SiloAddress b = Listen("b");
        SiloTransport a = Transport("a");
        Assert.Equal(new byte[] { 2, 1 }, await a.SendAsync(b, SiloMessageType.Ping, new byte[] { 1, 2 }, TimeSpan.FromSeconds(30), CancellationToken.None));
        return (a, b, _handler.Handled);
    }

    /// <summary>Heals every cut and waits until b answers a's requests again.</summary>
    private async Task HealAndWaitAsync(SiloTransport a, SiloAddress b)
    {
        _links.HealAll();
        await Eventually.TrueAsync(async () => await TrySendAsync(a, b, 4) is [4], Limit, "a's requests answered by b again after the heal");
    }

    private static async Task<byte[]?> TrySendAsync(SiloTransport from, SiloAddress to, byte value)
    {
        try
        {
            return await from.SendAsync(to, SiloMessageType.Ping, new[] { value }, TimeSpan.FromSeconds(10), CancellationToken.None);
        }
        catch (Exception ex) when (ex is SiloUnreachableException or TimeoutException)
        {
            return null;
        }
    }

    /// <summary>Silo <paramref name="name"/> listening behind the proxy; its address as other silos see it (the proxy's port).</summary>
    private SiloAddress Listen(string name)
    {
        var options = Options();
        options.BindAddress = SiloLinkProxy.SiloListenAddress.ToString();
        options.Port = _links.Route(name);
        options.AdvertisedHost = SiloLinkProxy.ProxyAddress.ToString();
        var identity = new LocalSiloIdentity("c", name, "secret") { Incarnation = 1 };
        var transport = new SiloTransport(options, identity, NullLogger.Instance);
        transport.StartListening(_handler);
        _transports.Add(transport);
        return new SiloAddress(name, 1, identity.Endpoint);
    }

    private SiloTransport Transport(string name)
    {
        var transport = new SiloTransport(Options(), new LocalSiloIdentity("c", name, "secret") { Incarnation = 1 }, NullLogger.Instance);
        _transports.Add(transport);
        return transport;
    }

    private static ClusterOptions Options() => new()
    {
        BindAddress = "127.0.0.1",
        Port = 0,
        HandshakeTimeout = TimeSpan.FromSeconds(5),
        FrameReceiveTimeout = TimeSpan.FromSeconds(5),
    };

    private sealed class EchoHandler : ISiloMessageHandler
    {
        private int _handled;

        public int Handled => Volatile.Read(ref _handled);

        public Task<byte[]> HandleAsync(SiloAddress sender, SiloMessageType type, byte[] payload, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _handled);
            return Task.FromResult(payload.Reverse().ToArray());
        }

        public void HandleOneWay(SiloAddress sender, SiloMessageType type, byte[] payload) => Interlocked.Increment(ref _handled);
    }
}
