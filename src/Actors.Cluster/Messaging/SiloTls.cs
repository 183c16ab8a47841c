using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Actors.Security;

namespace Actors.Cluster.Messaging;

/// <summary>Wraps silo-to-silo streams in TLS when <see cref="ClusterTlsOptions.Enabled"/>: both sides present the silo certificate and check the peer's.</summary>
internal sealed class SiloTls : IDisposable
{
    private readonly X509Certificate2? _certificate;
    private readonly PinnedCertificates _pins;

    public SiloTls(ClusterTlsOptions options)
    {
        Enabled = options.Enabled;
        _pins = new PinnedCertificates(options.AllowedThumbprints);
        if (Enabled)
        {
            _certificate = X509CertificateLoader.LoadPkcs12FromFile(options.CertificatePath!, options.CertificatePassword);
        }
    }

    public bool Enabled { get; }

    public async Task<Stream> AuthenticateAsServerAsync(Stream stream, CancellationToken cancellationToken)
    {
        if (!Enabled)
        {
            return stream;
        }

        var ssl = new SslStream(stream, leaveInnerStreamOpen: false, _pins.Validate);
        await ssl.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
        {
            ServerCertificate = _certificate,
            ClientCertificateRequired = true,
            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
        }, cancellationToken);
        return ssl;
    }

    public async Task<Stream> AuthenticateAsClientAsync(Stream stream, string targetHost, CancellationToken cancellationToken)
    {
        if (!Enabled)
        {
            return stream;
        }

        var ssl = new SslStream(stream, leaveInnerStreamOpen: false, _pins.Validate);
        await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = targetHost,
            ClientCertificates = [_certificate!],
            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
        }, cancellationToken);
        return ssl;
    }

    public void Dispose() => _certificate?.Dispose();
}
