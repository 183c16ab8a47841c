namespace Actors.Orleans.Silo.Options;

/// <summary>
/// TLS on Orleans's links (Microsoft.Orleans.Connections.Security): section <c>Actors:Tls</c> of
/// <c>appsettings.json</c>, or <c>ACTORS__TLS__CERTIFICATEPATH</c> and the like. TLS is on when a certificate is
/// configured (<see cref="CertificatePath"/> or <see cref="CertificateSubject"/>); then every silo-to-silo connection
/// (both directions) and every gateway connection is TLS 1.2 or 1.3, and both ends present a certificate.
/// </summary>
/// <remarks>
/// A peer (silo or client) is accepted only when its certificate chains to one of the trusted certificates
/// (<see cref="TrustedCertificatesPath"/>; by default this silo's own certificate, so that the silos of a cluster share
/// one certificate and nothing else is let in). Host names are not checked: silos are addressed by IP address and
/// identified by their certificate. The replication between silos rides these links, so it is encrypted and its peers
/// authenticated exactly when this section is set.
/// </remarks>
public sealed class SiloTlsOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = ActorsSiloOptions.SectionName + ":Tls";

    /// <summary>The default certificate store name (with <see cref="CertificateSubject"/>).</summary>
    public const string DefaultStoreName = "My";

    /// <summary>The default certificate store location (with <see cref="CertificateSubject"/>).</summary>
    public const string DefaultStoreLocation = "CurrentUser";

    /// <summary>
    /// This silo's certificate with its private key: a PKCS#12 file (<c>.pfx</c>, <c>.p12</c>; password in
    /// <see cref="CertificatePassword"/>) or a PEM file (its key in the same file or in <see cref="CertificateKeyPath"/>).
    /// Default empty.
    /// </summary>
    public string CertificatePath { get; set; } = "";

    /// <summary>The PEM file of the private key when <see cref="CertificatePath"/> is a PEM file holding the certificate only. Default empty.</summary>
    public string CertificateKeyPath { get; set; } = "";

    /// <summary>The password of the PKCS#12 file, or of an encrypted PEM key. Default empty (none).</summary>
    public string CertificatePassword { get; set; } = "";

    /// <summary>Instead of a file: the subject name of a certificate (with its private key) in a certificate store. Default empty.</summary>
    public string CertificateSubject { get; set; } = "";

    /// <summary>The store searched for <see cref="CertificateSubject"/>. Default <see cref="DefaultStoreName"/>.</summary>
    public string CertificateStoreName { get; set; } = DefaultStoreName;

    /// <summary>The store location searched for <see cref="CertificateSubject"/>: <c>CurrentUser</c> or <c>LocalMachine</c>. Default <see cref="DefaultStoreLocation"/>.</summary>
    public string CertificateStoreLocation { get; set; } = DefaultStoreLocation;

    /// <summary>
    /// A PEM file of one or more certificates (or a DER file of one) that the peers' certificates must chain to: the
    /// cluster's certificate authority. Default empty: this silo's own certificate, the one every silo of the cluster
    /// then shares.
    /// </summary>
    public string TrustedCertificatesPath { get; set; } = "";

    /// <summary>
    /// Whether clients connecting to the gateway must present a certificate (validated as a silo's is). Default true.
    /// False lets clients connect with server authentication only (a certificate they present is still validated);
    /// silos always authenticate each other.
    /// </summary>
    public bool RequireClientCertificates { get; set; } = true;

    /// <summary>Whether TLS is on: a certificate is configured.</summary>
    public bool Enabled => CertificatePath.Length > 0 || CertificateSubject.Length > 0;
}
