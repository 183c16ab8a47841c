using Actors.Client;
using Actors.Hosting.Tests.Gateway;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Actors.Hosting.Tests.Client;

public class ClientHostingTests
{
    [Fact]
    public async Task UseActorsClient_HostApplicationBuilderWithConfiguration_ConnectsAtStart()
    {
        await using GatewayTestSilo silo = await GatewayTestSilo.StartAsync(o => o.Secret = "s");
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Actors:Client:Gateways:0"] = silo.Address,
            ["Actors:Client:Secret"] = "s",
            ["Actors:Client:ResponseTimeout"] = "00:00:07",
        });
        builder.UseActorsClient();
        using IHost host = builder.Build();
        await host.StartAsync();
        IClusterClient client = host.Services.GetRequiredService<IClusterClient>();
        Assert.True(client.IsConnected);
        Assert.Same(client, host.Services.GetRequiredService<IGrainFactory>());
        Assert.Equal(TimeSpan.FromSeconds(7), host.Services.GetRequiredService<IOptions<ClientOptions>>().Value.ResponseTimeout);
        Assert.Equal(1, silo.Info.ActiveConnections);
        await host.StopAsync();
        await Await.UntilAsync(() => silo.Info.ActiveConnections == 0, () => "the stopped host's client connection to close");
    }

    [Fact]
    public async Task UseActorsClient_HostBuilder_ConnectsAtStart()
    {
        await using GatewayTestSilo silo = await GatewayTestSilo.StartAsync();
        using IHost host = new HostBuilder().UseActorsClient(o => o.Gateways.Add(silo.Address)).Build();
        await host.StartAsync();
        Assert.True(host.Services.GetRequiredService<IClusterClient>().IsConnected);
        await host.StopAsync();
    }

    [Fact]
    public async Task UseActorsClient_NoSilo_HostStartFailsWithGatewayUnavailable()
    {
        using IHost host = new HostBuilder().UseActorsClient(o =>
        {
            o.Gateways.Add("127.0.0.1:1");
            o.ConnectAttempts = 1;
        }).Build();
        GatewayUnavailableException ex = await Assert.ThrowsAsync<GatewayUnavailableException>(() => host.StartAsync());
        Assert.Contains("127.0.0.1:1", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UseActorsClient_InvalidOptions_HostStartFailsNamingSetting()
    {
        using IHost host = new HostBuilder().UseActorsClient(o => o.ResponseTimeout = TimeSpan.Zero).Build();
        OptionsValidationException ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.Contains("Actors:Client:ResponseTimeout", ex.Message, StringComparison.Ordinal);
    }
}
