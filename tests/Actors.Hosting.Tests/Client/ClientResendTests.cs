using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Actors.Client;
using Actors.Hosting.Tests.Gateway;
using Actors.Invocation;
using Actors.Wire;

namespace Actors.Hosting.Tests.Client;

/// <summary>
/// The client sends a call again (to another gateway) exactly when it certainly did not run: left unanswered by a gateway
/// that said Goodbye, or never handed to the socket of a connection that broke.
/// </summary>
public sealed class ClientResendTests
{
    [Fact]
    public async Task Invoke_ConnectionResetWithRequestsNeverWritten_ThoseAreAnsweredByAnotherGateway()
    {
        await using GatewayTestSilo second = await GatewayTestSilo.StartAsync();
        using var silent = new SilentGateway();
        IClusterClient client = new ClusterClientBuilder()
            .UseGateway(silent.Address)
            .UseGateway(second.Address)
            .Configure(o =>
            {
                o.ConnectRetryDelay = TimeSpan.FromMilliseconds(20);
                o.MaxFrameBytes = 64 * 1024 * 1024;
            })
            .Build();
        IGrainCallInvoker invoker = ((ClusterClient)client).Invoker;
        await using (client)
        {
            // A request far larger than the loopback socket buffers: its write cannot finish while the gateway reads nothing.
            Task<object?> stuck = invoker.InvokeAsync(TestCalls.Call("Echo", new string('x', 48 * 1024 * 1024))).AsTask();
            await Await.UntilAsync(() => silent.BytesWaiting > 64 * 1024, () => "the large request's first bytes to reach the silent gateway", limitSeconds: 60);
            Task<object?>[] queued = Enumerable.Range(0, 10).Select(i => invoker.InvokeAsync(TestCalls.CallOn($"q{i}", "Add", i, 1)).AsTask()).ToArray();

            silent.Reset();

            object?[] answers = await Await.WithinAsync(Task.WhenAll(queued), "the queued calls' answers from the other gateway", limitSeconds: 60);
            Assert.Equal(Enumerable.Range(1, 10).Select(i => (object?)i), answers);
            Assert.Equal(10, second.Invoker.Calls);
            GatewayConnectionLostException lost = await Assert.ThrowsAsync<GatewayConnectionLostException>(() => stuck);
            Assert.Contains(silent.Address, lost.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Invoke_GatewayStopsGracefullyUnderLoad_EveryCallAnsweredByOneOfTheGateways()
    {
        GatewayTestSilo first = await GatewayTestSilo.StartAsync(o => o.DrainTimeout = TimeSpan.FromSeconds(60));
        await using GatewayTestSilo second = await GatewayTestSilo.StartAsync();
        IClusterClient client = new ClusterClientBuilder()
            .UseGateway(first.Address)
            .UseGateway(second.Address)
            .Configure(o => o.ConnectRetryDelay = TimeSpan.FromMilliseconds(20))
            .Build();
        IGrainCallInvoker invoker = ((ClusterClient)client).Invoker;
        await using (client)
        {
            var errors = new ConcurrentQueue<Exception>();
            long answered = 0;
            using var stop = new CancellationTokenSource();
            Task[] callers = Enumerable.Range(0, 16).Select(c => Task.Run(async () =>
            {
                for (int i = 0; !stop.IsCancellationRequested; i++)
                {
                    try
                    {
                        object? sum = await invoker.InvokeAsync(TestCalls.CallOn($"g{c}", "Add", c, i));
                        Assert.Equal(c + i, sum);
                        Interlocked.Increment(ref answered);
                    }
                    catch (Exception ex)
                    {
                        errors.Enqueue(ex);
                    }
                }
            })).ToArray();

            await Await.UntilAsync(() => Interlocked.Read(ref answered) > 2_000, () => $"2,000 answers before the stop (answered {Interlocked.Read(ref answered)})", limitSeconds: 120);
            await first.DisposeAsync();
            long afterStop = Interlocked.Read(ref answered);
            await Await.UntilAsync(() => Interlocked.Read(ref answered) > afterStop + 2_000, () => $"2,000 answers after the stop (answered {Interlocked.Read(ref answered) - afterStop})", limitSeconds: 120);
            await stop.CancelAsync();
            await Task.WhenAll(callers);

            Assert.Empty(errors.Select(e => e.ToString()));
            Assert.True(second.Invoker.Calls > 0, "the second gateway served no call");
        }
    }

    /// <summary>A gateway that accepts one client, answers its Hello, then reads nothing more until <see cref="Reset"/>.</summary>
    private sealed class SilentGateway : IDisposable
    {
        private readonly Socket _listener = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        private readonly Task<Socket> _accepted;

        public SilentGateway()
        {
            _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            _listener.Listen(1);
            Address = _listener.LocalEndPoint!.ToString()!;
            _accepted = AcceptAndHandshakeAsync();
        }

        public string Address { get; }

        /// <summary>Bytes the client sent after its Hello that wait unread (0 before the client connected).</summary>
        public int BytesWaiting => _accepted.IsCompletedSuccessfully ? _accepted.Result.Available : 0;

        /// <summary>Stops listening and resets the client's connection.</summary>
        public void Reset()
        {
            _listener.Dispose();
            Socket socket = _accepted.Result;
            socket.LingerState = new LingerOption(true, 0);
            socket.Dispose();
        }

        public void Dispose()
        {
            _listener.Dispose();
            if (_accepted.IsCompletedSuccessfully)
            {
                _accepted.Result.Dispose();
            }
        }

        private async Task<Socket> AcceptAndHandshakeAsync()
        {
            Socket socket = await _listener.AcceptAsync();
            byte[] pending = [];
            var buffer = new byte[4096];
            while (true)
            {
                var sequence = new ReadOnlySequence<byte>(pending);
                if (GatewayFrameCodec.TryReadFrame(ref sequence, int.MaxValue, out GatewayFrameKind kind, out _))
                {
                    Assert.Equal(GatewayFrameKind.Hello, kind);
                    Assert.True(sequence.IsEmpty, "the client sent more than its Hello before the answer");
                    break;
                }

                int read = await socket.ReceiveAsync(buffer, SocketFlags.None);
                Assert.True(read > 0, "the client closed before its Hello");
                pending = [.. pending, .. buffer.AsSpan(0, read)];
            }

            await socket.SendAsync(GatewayFrameCodec.EncodeHelloAccepted(), SocketFlags.None);
            return socket;
        }
    }
}
