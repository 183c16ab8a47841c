namespace Actors.Cluster;

/// <summary>TLS for silo-to-silo connections: every silo presents its certificate and checks its peer's.</summary>
public sealed class ClusterTlsOptions
{
    /// <summary>Whether silo-to-silo connections use TLS. Default false.</summary>
    public bool Enabled { get; set; }

    /// <summary>The PKCS#12 (.pfx) file with this silo's certificate and private key. Required when enabled.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>The password of <see cref="CertificatePath"/>, if any.</summary>
    public string? CertificatePassword { get; set; }

    /// <summary>
    /// SHA-256 thumbprints (hex) of the certificates peers may present. Empty: the peer's chain must validate against the
    /// machine's trusted roots.
    /// </summary>
    public IList<string> AllowedThumbprints { get; set; } = [];
}
