using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Actors.Security;

/// <summary>
/// How a TLS endpoint of Actors (silo-to-silo, gateway, client) judges its peer's certificate: by pinned SHA-256
/// thumbprints when any are configured, else by the platform's chain and name validation.
/// </summary>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed class PinnedCertificates
{
    private readonly HashSet<string> _thumbprints;

    /// <summary>Creates the check; thumbprints are hex, case-insensitive, colons allowed.</summary>
    public PinnedCertificates(IEnumerable<string> sha256Thumbprints)
    {
        ArgumentNullException.ThrowIfNull(sha256Thumbprints);
        _thumbprints = new HashSet<string>(sha256Thumbprints.Select(t => t.Replace(":", "", StringComparison.Ordinal).Trim()), StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The SHA-256 thumbprint of <paramref name="certificate"/> as upper-case hex (the form the pins use).</summary>
    public static string Thumbprint(X509Certificate certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return Convert.ToHexString(certificate.GetCertHash(HashAlgorithmName.SHA256));
    }

    /// <summary>
    /// A <see cref="RemoteCertificateValidationCallback"/>: no certificate fails; with pins, the certificate's thumbprint
    /// must be pinned (chain and name errors are then irrelevant: the pin is the trust); without pins, no policy error.
    /// </summary>
    public bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (certificate is null)
        {
            return false;
        }

        return _thumbprints.Count == 0 ? errors == SslPolicyErrors.None : _thumbprints.Contains(Thumbprint(certificate));
    }
}
