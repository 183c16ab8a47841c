using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace Actors.Hosting.Gateway;

/// <summary>The gateway's TLS server side (<see cref="GatewayTlsOptions"/>): loads the certificate once, wraps each accepted connection.</summary>
internal sealed class GatewayTls(GatewayTlsOptions options) : IDisposable
{
    private readonly X509Certificate2 _certificate = X509CertificateLoader.LoadPkcs12FromFile(options.CertificatePath!, options.CertificatePassword);

    /// <summary>Runs the TLS handshake within <paramref name="timeout"/>; on failure the stream is disposed and the exception thrown.</summary>
    public async Task<Stream> AuthenticateAsync(Stream stream, TimeSpan timeout, CancellationToken stopping)
    {
        var ssl = new SslStream(stream, leaveInnerStreamOpen: false);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        deadline.CancelAfter(timeout);
        try
        {
            await ssl.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
            {
                ServerCertificate = _certificate,
                ClientCertificateRequired = false,
                EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            }, deadline.Token);
            return ssl;
        }
        catch
        {
            await ssl.DisposeAsync();
            throw;
        }
    }

    public void Dispose() => _certificate.Dispose();
}
