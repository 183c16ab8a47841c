using System.Net;
using Actors.Hosting.Gateway;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Actors.Hosting.Tests.Gateway;

/// <summary>A real silo (runtime + gateway) with <see cref="CounterGrain"/> on an ephemeral loopback port.</summary>
public sealed class RealSilo : IAsyncDisposable
{
    private readonly IHost _host;

    private RealSilo(IHost host) => _host = host;

    public IPEndPoint EndPoint => _host.Services.GetRequiredService<IGatewayInfo>().ListeningEndPoint!;

    public IServiceProvider Services => _host.Services;

    public static async Task<RealSilo> StartAsync(int port = 0, Action<ISiloBuilder>? configure = null)
    {
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.UseActors(silo =>
        {
            silo.AddGrain<CounterGrain>().AddGateway(o => o.Port = port);
            configure?.Invoke(silo);
        });
        IHost host = builder.Build();
        await host.StartAsync();
        return new RealSilo(host);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }
}
