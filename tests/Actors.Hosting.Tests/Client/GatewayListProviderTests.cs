using System.Net;
using System.Net.Sockets;
using Actors.Client;
using Actors.Hosting.Tests.Gateway;

namespace Actors.Hosting.Tests.Client;

/// <summary>A client that learns its gateways from an <see cref="IGatewayListProvider"/> before each connect.</summary>
public sealed class GatewayListProviderTests
{
    [Fact]
    public async Task Connect_ProviderListsTheGateway_ClientWithoutConfiguredGatewaysUsesIt()
    {
        await using GatewayTestSilo silo = await GatewayTestSilo.StartAsync();
        var provider = new ListProvider(() => [$"127.0.0.1:{FreePort()}", silo.EndPoint.ToString()]);
        IClusterClient client = new ClusterClientBuilder().UseGatewayListProvider(provider).Configure(o => o.ConnectAttempts = 1).Build();
        await using (client)
        {
            await client.ConnectAsync();

            Assert.Equal(3, await ((ClusterClient)client).Invoker.InvokeAsync(TestCalls.Call("Add", 1, 2)));
            Assert.Equal(1, provider.Calls);
        }
    }

    [Fact]
    public async Task Connect_ProviderFails_ConfiguredGatewayServes()
    {
        await using GatewayTestSilo silo = await GatewayTestSilo.StartAsync();
        var provider = new ListProvider(() => throw new InvalidOperationException("the cluster table is unreachable"));
        IClusterClient client = new ClusterClientBuilder().UseGateway(silo.EndPoint).UseGatewayListProvider(provider).Configure(o => o.ConnectAttempts = 1).Build();
        await using (client)
        {
            await client.ConnectAsync();

            Assert.Equal(3, await ((ClusterClient)client).Invoker.InvokeAsync(TestCalls.Call("Add", 1, 2)));
            Assert.Equal(1, provider.Calls);
        }
    }

    private static int FreePort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    private sealed class ListProvider(Func<IReadOnlyList<string>> list) : IGatewayListProvider
    {
        public int Calls { get; private set; }

        public Task<IReadOnlyList<string>> GetGatewaysAsync(CancellationToken cancellationToken)
        {
            Calls++;
            return Task.FromResult(list());
        }
    }
}
