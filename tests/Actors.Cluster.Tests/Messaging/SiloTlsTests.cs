using System.Net.Sockets;
using Actors.Cluster.Tests.Grains;

namespace Actors.Cluster.Tests.Messaging;

/// <summary>Silo-to-silo TLS with certificates the test generates: forwarded calls work, a plaintext peer gets nothing.</summary>
public sealed class SiloTlsTests : IDisposable
{
    private readonly TempDirectory _directory = new("actors-tls");

    [Fact]
    public async Task TlsCluster_ForwardedCall_Served_AndPlaintextPeerRefused()
    {
        (string pfx, string thumbprint) = TestCertificates.CreatePfx(_directory.Path, "silo", "secret");
        await using TestCluster cluster = await TestClusters.DeployAsync(2, b => b.Options.ConfigureClusterOptions = o =>
        {
            o.Tls.Enabled = true;
            o.Tls.CertificatePath = pfx;
            o.Tls.CertificatePassword = "secret";
            o.Tls.AllowedThumbprints = [thumbprint];
        });

        string host = await cluster.Primary.Services.GetRequiredService<IGrainFactory>().GetGrain<IWireCrossingGrain>("tls").Where();
        SiloHandle caller = cluster.Silos.First(s => s.Name != host);
        Assert.Equal(host, await caller.Services.GetRequiredService<IGrainFactory>().GetGrain<IWireCrossingGrain>("tls").Where());

        SiloHandle target = cluster.Silos.First(s => s.Name == host);
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync("127.0.0.1", target.SiloPort);
        // A plaintext Hello frame header (length 5, kind 1) and junk: the TLS acceptor must drop the connection.
        await socket.SendAsync(new byte[] { 5, 0, 0, 0, 1, 0x41, 0x43, 0x53, 0x4C });
        byte[] buffer = new byte[256];
        var received = new List<byte>();
        while (true)
        {
            int read;
            try
            {
                read = await socket.ReceiveAsync(buffer.AsMemory()).AsTask().WaitAsync(TimeSpan.FromSeconds(60));
            }
            catch (SocketException)
            {
                break;
            }

            if (read == 0)
            {
                break;
            }

            received.AddRange(buffer.AsSpan(0, read).ToArray());
        }

        // Nothing, or a TLS alert record (content type 21): never a silo frame.
        Assert.True(received.Count == 0 || received[0] == 21, $"the silo answered a plaintext peer with {received.Count} bytes: {Convert.ToHexString(received.ToArray())}");
    }

    public void Dispose() => _directory.Dispose();
}
