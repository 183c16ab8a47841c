using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;

namespace Actors.Orleans.ClientDemo.Launching;

/// <summary>An Orleans client (Microsoft.Orleans.Client) connected to one silo's gateway, in a host of its own.</summary>
public sealed class SiloClient : IAsyncDisposable
{
    private readonly IHost _host;

    private SiloClient(IHost host)
    {
        _host = host;
        Grains = host.Services.GetRequiredService<IClusterClient>();
    }

    /// <summary>The grain factory.</summary>
    public IClusterClient Grains { get; }

    /// <summary>Connects to <paramref name="gateway"/> (cluster and service id <c>actors</c>, the silo's defaults).</summary>
    public static Task<SiloClient> ConnectAsync(IPEndPoint gateway, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        ConnectAsync([gateway], "actors", "actors", timeout, cancellationToken: cancellationToken);

    /// <summary>How often the client re-reads the gateway list from the membership table (<c>membershipConnectionString</c>).</summary>
    public static readonly TimeSpan GatewayListRefreshPeriod = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Connects to a cluster through <paramref name="gateways"/> (Orleans's static gateway list), or, when
    /// <paramref name="membershipConnectionString"/> is given, through the gateways of the silos that Orleans's ADO.NET
    /// membership table in that PostgreSQL database lists as active, re-read every <see cref="GatewayListRefreshPeriod"/>.
    /// A call waits up to <paramref name="responseTimeout"/> for its answer (default Orleans's 30 s).
    /// </summary>
    /// <remarks>
    /// A static list never drops a gateway whose silo stopped without closing its connections (SIGSTOP, a hung host): the
    /// client keeps sending the calls of the grains it routes through that gateway into the open connection, and each
    /// waits out the response timeout, for as long as the silo stays stopped. With the membership table the gateway leaves
    /// the list once Orleans declared its silo dead, and the client closes its connection to it.
    /// </remarks>
    public static async Task<SiloClient> ConnectAsync(IReadOnlyList<IPEndPoint> gateways, string clusterId, string serviceId, TimeSpan timeout, TimeSpan? responseTimeout = null, string? membershipConnectionString = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(gateways);
        HostApplicationBuilder builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Error);
        builder.UseOrleansClient(client =>
        {
            if (membershipConnectionString is null)
            {
                client.UseStaticClustering([.. gateways]);
            }
            else
            {
                client
                    .UseAdoNetClustering(o =>
                    {
                        o.Invariant = "Npgsql";
                        o.ConnectionString = membershipConnectionString;
                    })
                    .Configure<GatewayOptions>(o => o.GatewayListRefreshPeriod = GatewayListRefreshPeriod);
            }

            client.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = clusterId;
                o.ServiceId = serviceId;
            })
            .Configure<ClientMessagingOptions>(o =>
            {
                if (responseTimeout is { } response)
                {
                    o.ResponseTimeout = response;
                }
            });
        });
        IHost host = builder.Build();
        try
        {
            await host.StartAsync(cancellationToken).WaitAsync(timeout, cancellationToken);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            host.Dispose();
            throw;
        }

        return new SiloClient(host);
    }

    /// <summary>Stops the client (quickly when its silo is gone).</summary>
    public async ValueTask DisposeAsync()
    {
        using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await _host.StopAsync(grace.Token);
        }
        catch (OperationCanceledException)
        {
            // The gateway is gone (the silo was killed): nothing left to close gracefully.
        }

        _host.Dispose();
    }
}
