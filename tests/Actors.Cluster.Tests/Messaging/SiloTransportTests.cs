using System.Net;
using System.Net.Sockets;
using Actors.Cluster.Messaging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Actors.Cluster.Tests.Messaging;

/// <summary>Silo-to-silo messaging on loopback: handshake rules, typed errors, backpressure, and peers that break the protocol.</summary>
public sealed class SiloTransportTests : IAsyncLifetime
{
    private readonly List<SiloTransport> _transports = [];
    private readonly Handler _handler = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (SiloTransport transport in _transports)
        {
            await transport.DisposeAsync();
        }
    }

    [Fact]
    public async Task SendAsync_AuthenticatedPeer_ResponseReturned()
    {
        (SiloTransport server, SiloAddress address) = StartServer("b", "secret");
        SiloTransport client = Client("a", "secret");

        byte[] response = await client.SendAsync(address, SiloMessageType.Ping, new byte[] { 1, 2, 3 }, TimeSpan.FromSeconds(10), CancellationToken.None);

        Assert.Equal(new byte[] { 3, 2, 1 }, response);
        Assert.NotNull(server.ListeningEndPoint);
    }

    [Fact]
    public async Task SendAsync_WrongSecret_RefusedAndNothingHandled()
    {
        (_, SiloAddress address) = StartServer("b", "secret");
        SiloTransport client = Client("a", "another");

        SiloUnreachableException error = await Assert.ThrowsAsync<SiloUnreachableException>(
            () => client.SendAsync(address, SiloMessageType.Ping, new byte[] { 1 }, TimeSpan.FromSeconds(10), CancellationToken.None));

        Assert.Contains("shared-secret", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, _handler.Handled);
    }

    [Fact]
    public async Task SendAsync_OtherIncarnationAddressed_Refused()
    {
        (_, SiloAddress address) = StartServer("b", "s");
        SiloTransport client = Client("a", "s");

        SiloUnreachableException error = await Assert.ThrowsAsync<SiloUnreachableException>(
            () => client.SendAsync(address with { Incarnation = 99 }, SiloMessageType.Ping, new byte[] { 1 }, TimeSpan.FromSeconds(10), CancellationToken.None));

        Assert.Contains("incarnation", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_HandlerThrowsPartitionUnavailable_SameTypeAndFieldsArrive()
    {
        (_, SiloAddress address) = StartServer("b", "s");
        SiloTransport client = Client("a", "s");

        PartitionUnavailableException error = await Assert.ThrowsAsync<PartitionUnavailableException>(
            () => client.SendAsync(address, SiloMessageType.Call, new byte[] { 9 }, TimeSpan.FromSeconds(10), CancellationToken.None));

        Assert.Equal(7, error.Partition);
        Assert.Equal("silo-x", error.Owner);
    }

    [Fact]
    public async Task Acceptor_OneRequestAtATime_SecondWaitsInsteadOfFailing()
    {
        (_, SiloAddress address) = StartServer("b", "s", o => o.MaxConcurrentRequestsPerConnection = 1);
        SiloTransport client = Client("a", "s");
        _handler.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        Task<byte[]> first = client.SendAsync(address, SiloMessageType.Ping, new byte[] { 1 }, TimeSpan.FromSeconds(20), CancellationToken.None);
        Task<byte[]> second = client.SendAsync(address, SiloMessageType.Ping, new byte[] { 2 }, TimeSpan.FromSeconds(20), CancellationToken.None);
        await _handler.Started.Task.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(1, _handler.Handled);
        Assert.False(second.IsCompleted);
        _handler.Gate.SetResult();
        Assert.Equal(new byte[] { 1 }, await first);
        Assert.Equal(new byte[] { 2 }, await second);
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("oversized")]
    [InlineData("truncated")]
    [InlineData("request-before-hello")]
    public async Task BadPeer_ConnectionClosed_SiloKeepsServingOthers(string kind)
    {
        (SiloTransport server, SiloAddress address) = StartServer("b", "s");
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(server.ListeningEndPoint!);
        byte[] bytes = kind switch
        {
            "garbage" => [0x00, 0x00, 0x00, 0x00, 0xFF, 0x13, 0x37],
            "oversized" => [0xFF, 0xFF, 0xFF, 0x7F, 0x01],
            "truncated" => [0x10, 0x00, 0x00, 0x00, 0x01, 0x41, 0x43],
            _ => [0x0A, 0x00, 0x00, 0x00, 0x05, 1, 0, 0, 0, 0, 0, 0, 0, 1],
        };
        await socket.SendAsync(bytes, SocketFlags.None);
        if (kind == "truncated")
        {
            socket.Shutdown(SocketShutdown.Send);
        }

        byte[] buffer = new byte[256];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        int read;
        do
        {
            read = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
        }
        while (read > 0);

        SiloTransport client = Client("a", "s");
        Assert.Equal(new byte[] { 5 }, await client.SendAsync(address, SiloMessageType.Ping, new byte[] { 5 }, TimeSpan.FromSeconds(10), CancellationToken.None));
        Assert.Equal(1, _handler.Handled);
    }

    [Fact]
    public async Task SilentPeer_ClosedAfterHandshakeTimeout()
    {
        (SiloTransport server, _) = StartServer("b", "s", o => o.HandshakeTimeout = TimeSpan.FromMilliseconds(300));
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(server.ListeningEndPoint!);

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        int read = await socket.ReceiveAsync(new byte[16], SocketFlags.None, timeout.Token);

        Assert.Equal(0, read);
    }

    [Fact]
    public async Task PostAsync_ManyMessages_HandledInPostedOrderWithNoResponse()
    {
        (_, SiloAddress address) = StartServer("b", "s");
        SiloTransport client = Client("a", "s");
        Task<IReadOnlyList<byte[]>> arrived = _handler.OneWayArrived(100);

        for (byte i = 0; i < 100; i++)
        {
            await client.PostAsync(address, SiloMessageType.Replication, new byte[] { i }, CancellationToken.None);
        }

        IReadOnlyList<byte[]> received = await arrived.WaitAsync(TimeSpan.FromMinutes(1));
        Assert.Equal(Enumerable.Range(0, 100).Select(i => (byte)i), received.Select(payload => Assert.Single(payload)));
        Assert.Equal(0, _handler.Handled);
    }

    [Fact]
    public async Task PostAsync_HandlerThrows_MessageDroppedAndTheConnectionStaysUsable()
    {
        (_, SiloAddress address) = StartServer("b", "s");
        SiloTransport client = Client("a", "s");
        Task<IReadOnlyList<byte[]>> arrived = _handler.OneWayArrived(2);

        await client.PostAsync(address, SiloMessageType.Replication, Handler.Refused, CancellationToken.None);
        await client.PostAsync(address, SiloMessageType.Replication, new byte[] { 1 }, CancellationToken.None);
        byte[] response = await client.SendAsync(address, SiloMessageType.Ping, new byte[] { 1, 2 }, TimeSpan.FromMinutes(1), CancellationToken.None);

        Assert.Equal(new byte[] { 2, 1 }, response);
        IReadOnlyList<byte[]> received = await arrived.WaitAsync(TimeSpan.FromMinutes(1));
        Assert.Equal([Handler.Refused, new byte[] { 1 }], received);
    }

    private (SiloTransport Transport, SiloAddress Address) StartServer(string name, string secret, Action<ClusterOptions>? configure = null)
    {
        ClusterOptions options = Options(configure);
        var identity = new LocalSiloIdentity("c", name, secret) { Incarnation = 3 };
        var transport = new SiloTransport(options, identity, NullLogger.Instance);
        transport.StartListening(_handler);
        _transports.Add(transport);
        return (transport, new SiloAddress(name, 3, identity.Endpoint));
    }

    private SiloTransport Client(string name, string secret)
    {
        var transport = new SiloTransport(Options(null), new LocalSiloIdentity("c", name, secret) { Incarnation = 1 }, NullLogger.Instance);
        _transports.Add(transport);
        return transport;
    }

    private static ClusterOptions Options(Action<ClusterOptions>? configure)
    {
        var options = new ClusterOptions { BindAddress = IPAddress.Loopback.ToString(), Port = 0, HandshakeTimeout = TimeSpan.FromSeconds(5), FrameReceiveTimeout = TimeSpan.FromSeconds(5) };
        configure?.Invoke(options);
        return options;
    }

    private sealed class Handler : ISiloMessageHandler
    {
        private int _handled;

        public int Handled => Volatile.Read(ref _handled);

        public TaskCompletionSource? Gate { get; set; }

        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async Task<byte[]> HandleAsync(SiloAddress sender, SiloMessageType type, byte[] payload, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _handled);
            Started.TrySetResult();
            if (Gate is { } gate)
            {
                await gate.Task;
            }

            return type == SiloMessageType.Call
                ? throw new PartitionUnavailableException(7, "silo-x", "test")
                : payload.Reverse().ToArray();
        }

        /// <summary>A one-way payload the handler throws on (after recording it).</summary>
        public static byte[] Refused { get; } = [0xFF, 0xFF];

        private readonly List<byte[]> _oneWay = [];
        private (int Count, TaskCompletionSource<IReadOnlyList<byte[]>> Done)? _waiting;

        /// <summary>Completes with the one-way payloads in arrival order once <paramref name="count"/> arrived.</summary>
        public Task<IReadOnlyList<byte[]>> OneWayArrived(int count)
        {
            lock (_oneWay)
            {
                _waiting = (count, new TaskCompletionSource<IReadOnlyList<byte[]>>(TaskCreationOptions.RunContinuationsAsynchronously));
                return _waiting.Value.Done.Task;
            }
        }

        public void HandleOneWay(SiloAddress sender, SiloMessageType type, byte[] payload)
        {
            lock (_oneWay)
            {
                _oneWay.Add(payload);
                if (_waiting is { } waiting && _oneWay.Count >= waiting.Count)
                {
                    waiting.Done.TrySetResult([.. _oneWay]);
                }
            }

            if (payload.SequenceEqual(Refused))
            {
                throw new InvalidOperationException("refused by the test handler");
            }
        }
    }
}
