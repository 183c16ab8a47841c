using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Actors.Orleans.Silo.Tests.Tls;

/// <summary>Certificates made by the tests: self-signed ones (a cluster's shared certificate, an impostor's) and a small authority with a leaf it signed.</summary>
internal static class TestCertificates
{
    public const string Password = "test-password";
    private const string ServerAuthentication = "1.3.6.1.5.5.7.3.1";
    private const string ClientAuthentication = "1.3.6.1.5.5.7.3.2";

    /// <summary>A self-signed certificate (P-256) usable for server and client authentication, valid from an hour ago for a day.</summary>
    public static X509Certificate2 SelfSigned(string subject)
    {
        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        CertificateRequest request = Request(subject, key);
        using X509Certificate2 made = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(1));
        return Reload(made);
    }

    /// <summary>A certificate authority (self-signed, may sign) and a leaf it signed.</summary>
    public static (X509Certificate2 Authority, X509Certificate2 Leaf) AuthorityAndLeaf(string authoritySubject, string leafSubject)
    {
        using ECDsa authorityKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var authorityRequest = new CertificateRequest(authoritySubject, authorityKey, HashAlgorithmName.SHA256);
        authorityRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        authorityRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        using X509Certificate2 authority = authorityRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(2));

        using ECDsa leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        CertificateRequest leafRequest = Request(leafSubject, leafKey);
        byte[] serial = [1, 2, 3, 4, 5, 6, 7, 8];
        using X509Certificate2 signed = leafRequest.Create(authority, DateTimeOffset.UtcNow.AddMinutes(-30), DateTimeOffset.UtcNow.AddDays(1), serial);
        using X509Certificate2 leaf = signed.CopyWithPrivateKey(leafKey);
        return (X509CertificateLoader.LoadCertificate(authority.RawData), Reload(leaf));
    }

    /// <summary>Writes <paramref name="certificate"/> with its key as a PKCS#12 file protected by <see cref="Password"/>.</summary>
    public static string WritePfx(X509Certificate2 certificate, string path)
    {
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pkcs12, Password));
        return path;
    }

    /// <summary>Writes <paramref name="certificate"/> (no key) as a PEM file.</summary>
    public static string WritePem(X509Certificate2 certificate, string path)
    {
        File.WriteAllText(path, certificate.ExportCertificatePem());
        return path;
    }

    private static CertificateRequest Request(string subject, ECDsa key)
    {
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, false));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(ServerAuthentication), new Oid(ClientAuthentication)], false));
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        return request;
    }

    /// <summary>Through PKCS#12 and back, so the key is one the TLS stack can use on every platform.</summary>
    private static X509Certificate2 Reload(X509Certificate2 certificate) =>
        X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12, Password), Password);
}
