namespace Actors.Hosting.Gateway;

/// <summary>TLS on the gateway: the silo presents its certificate; clients check it (pinned thumbprints or chain) and still prove the shared secret.</summary>
public sealed class GatewayTlsOptions
{
    /// <summary>Whether the gateway speaks TLS (every client must then enable <c>ClientOptions.Tls</c>). Default false.</summary>
    public bool Enabled { get; set; }

    /// <summary>The PKCS#12 (.pfx) file with the gateway's certificate and private key. Required when enabled.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>The password of <see cref="CertificatePath"/>, if any.</summary>
    public string? CertificatePassword { get; set; }
}
