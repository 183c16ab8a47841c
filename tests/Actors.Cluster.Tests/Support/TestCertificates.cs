using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Actors.Cluster.Tests.Support;

/// <summary>Self-signed certificates made by the test (no files from elsewhere, nothing installed on the machine).</summary>
public static class TestCertificates
{
    /// <summary>Writes a fresh self-signed certificate with its key as a .pfx in <paramref name="directory"/>; returns the path and its SHA-256 thumbprint.</summary>
    public static (string Path, string Thumbprint) CreatePfx(string directory, string subject, string password)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={subject}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], false));
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using X509Certificate2 certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(7));
        Directory.CreateDirectory(directory);
        string path = System.IO.Path.Combine(directory, subject + ".pfx");
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pkcs12, password));
        return (path, Convert.ToHexString(certificate.GetCertHash(HashAlgorithmName.SHA256)));
    }
}
