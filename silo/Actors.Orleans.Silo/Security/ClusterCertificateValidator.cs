using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Actors.Orleans.Silo.Security;

/// <summary>
/// Decides whether a peer's certificate (a silo's or a client's, on either end of a connection) belongs to the cluster:
/// it must chain, at the time of the handshake, to one of the trusted certificates alone (not to the machine's roots).
/// Host names are not checked. A refusal is logged with the certificate's subject, thumbprint and the chain's status.
/// </summary>
/// <remarks>Thread-safe: each call builds its own chain.</remarks>
internal sealed partial class ClusterCertificateValidator
{
    private readonly X509Certificate2Collection _trusted;
    private readonly ILogger _logger;
    private readonly string _side;

    /// <param name="trusted">The trust anchors (<see cref="SiloCertificates.Trusted"/>).</param>
    /// <param name="logger">Where refusals are logged.</param>
    /// <param name="side">Which connections this instance validates, for the log (silo inbound, silo outbound, gateway).</param>
    public ClusterCertificateValidator(X509Certificate2Collection trusted, ILogger logger, string side)
    {
        ArgumentNullException.ThrowIfNull(trusted);
        ArgumentNullException.ThrowIfNull(logger);
        _trusted = trusted;
        _logger = logger;
        _side = side;
    }

    /// <summary>Orleans's <c>RemoteCertificateValidator</c>: true when <paramref name="certificate"/> chains to a trusted certificate.</summary>
    public bool Validate(X509Certificate2 certificate, X509Chain? chain, SslPolicyErrors policyErrors)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        using var own = new X509Chain();
        own.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        own.ChainPolicy.CustomTrustStore.AddRange(_trusted);
        own.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (chain is not null)
        {
            // Intermediates the peer sent with its certificate.
            foreach (X509ChainElement element in chain.ChainElements)
            {
                if (!element.Certificate.RawData.AsSpan().SequenceEqual(certificate.RawData))
                {
                    own.ChainPolicy.ExtraStore.Add(element.Certificate);
                }
            }
        }

        if (own.Build(certificate))
        {
            return true;
        }

        string status = string.Join(", ", own.ChainStatus.Select(s => s.Status.ToString()).Distinct());
        LogRefused(_logger, _side, certificate.Subject, certificate.Thumbprint, status.Length > 0 ? status : policyErrors.ToString());
        return false;
    }

    [LoggerMessage(EventId = 20, Level = LogLevel.Warning, Message = "TLS ({Side}): refused the peer's certificate {Subject} ({Thumbprint}): it does not chain to a trusted certificate of Actors:Tls ({Status})")]
    private static partial void LogRefused(ILogger logger, string side, string subject, string thumbprint, string status);
}
