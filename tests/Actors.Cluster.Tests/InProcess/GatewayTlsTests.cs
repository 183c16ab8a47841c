using Actors.Client;
using Actors.Cluster.Tests.Grains;
using Actors.Hosting.Gateway;

namespace Actors.Cluster.Tests.InProcess;

/// <summary>Gateway TLS with a certificate the test generates: a pinned client calls through it; a plaintext client or a wrong pin gets nothing.</summary>
public sealed class GatewayTlsTests : IDisposable
{
    private readonly TempDirectory _directory = new("actors-gateway-tls");

    [Fact]
    public async Task TlsGateway_PinnedClientCalls_PlaintextClientAndWrongPinAreRefused()
    {
        (string pfx, string thumbprint) = TestCertificates.CreatePfx(_directory.Path, "gateway", "pw");
        await using TestCluster cluster = await TestClusters.DeployAsync(2, b => b
            .ConfigureSilo(silo => silo.Services.Configure<GatewayOptions>(o =>
            {
                o.Tls.Enabled = true;
                o.Tls.CertificatePath = pfx;
                o.Tls.CertificatePassword = "pw";
            }))
            .ConfigureClient(client => client.Configure(o =>
            {
                o.Tls.Enabled = true;
                o.Tls.AllowedServerThumbprints = [thumbprint];
            })));

        string host = await cluster.Client.GetGrain<IWireCrossingGrain>("over-tls").Where();
        Assert.Contains(host, cluster.Silos.Select(s => s.Name));

        string gateway = $"127.0.0.1:{cluster.Primary.GatewayPort}";
        await using (IClusterClient plaintext = new ClusterClientBuilder().UseGateway(gateway).Configure(o =>
        {
            o.ConnectAttempts = 1;
            o.ConnectTimeout = TimeSpan.FromSeconds(30);
        }).Build())
        {
            Exception refused = await Assert.ThrowsAnyAsync<Exception>(() => plaintext.ConnectAsync());
            Assert.True(refused is GatewayUnavailableException or GatewayRejectedException, $"a plaintext client got {refused.GetType().Name}: {refused.Message}");
        }

        await using IClusterClient wrongPin = new ClusterClientBuilder().UseGateway(gateway).Configure(o =>
        {
            o.ConnectAttempts = 1;
            o.Tls.Enabled = true;
            o.Tls.AllowedServerThumbprints = [new string('A', 64)];
        }).Build();
        GatewayRejectedException rejected = await Assert.ThrowsAsync<GatewayRejectedException>(() => wrongPin.ConnectAsync());
        Assert.Contains("TLS", rejected.Reason);
    }

    public void Dispose() => _directory.Dispose();
}
