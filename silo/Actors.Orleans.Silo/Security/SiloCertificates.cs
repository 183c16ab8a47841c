using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Actors.Orleans.Silo.Hosting;
using Actors.Orleans.Silo.Options;

namespace Actors.Orleans.Silo.Security;

/// <summary>
/// The certificates of <see cref="SiloTlsOptions"/>, loaded once at start: this silo's own (with its private key, usable
/// for both server and client authentication) and the trusted certificates the peers' must chain to.
/// </summary>
/// <param name="Local">This silo's certificate, with its private key.</param>
/// <param name="Trusted">The trust anchors: the file of <see cref="SiloTlsOptions.TrustedCertificatesPath"/>, or <paramref name="Local"/>.</param>
public sealed record SiloCertificates(X509Certificate2 Local, X509Certificate2Collection Trusted)
{
    private const string ServerAuthentication = "1.3.6.1.5.5.7.3.1";
    private const string ClientAuthentication = "1.3.6.1.5.5.7.3.2";

    /// <summary>Loads the certificates <paramref name="options"/> names.</summary>
    /// <exception cref="SiloStartupException">A file is missing or unreadable, the certificate has no private key or does not allow
    /// server and client authentication, the store holds no such certificate: the message names the setting and the path.</exception>
    public static SiloCertificates Load(SiloTlsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!options.Enabled)
        {
            throw new InvalidOperationException($"TLS is off: {SiloTlsOptions.SectionName} names no certificate.");
        }

        X509Certificate2 local = options.CertificatePath.Length > 0 ? FromFile(options) : FromStore(options);
        if (!local.HasPrivateKey)
        {
            throw new SiloStartupException($"{Source(options)}: the certificate {local.Subject} ({local.Thumbprint}) has no private key; a silo needs it to authenticate itself.");
        }

        foreach (X509EnhancedKeyUsageExtension usage in local.Extensions.OfType<X509EnhancedKeyUsageExtension>())
        {
            string[] oids = [.. usage.EnhancedKeyUsages.Cast<Oid>().Select(o => o.Value ?? "")];
            if (!oids.Contains(ServerAuthentication) || !oids.Contains(ClientAuthentication))
            {
                throw new SiloStartupException($"{Source(options)}: the certificate {local.Subject} ({local.Thumbprint}) does not allow both server and client authentication "
                    + "(its enhanced key usage must list 1.3.6.1.5.5.7.3.1 and 1.3.6.1.5.5.7.3.2, or be absent): a silo both accepts and opens connections.");
            }
        }

        X509Certificate2Collection trusted = options.TrustedCertificatesPath.Length > 0 ? TrustedFromFile(options.TrustedCertificatesPath) : [X509CertificateLoader.LoadCertificate(local.RawData)];
        return new SiloCertificates(local, trusted);
    }

    private static X509Certificate2 FromFile(SiloTlsOptions options)
    {
        string path = Path.GetFullPath(options.CertificatePath);
        string setting = $"{SiloTlsOptions.SectionName}:{nameof(SiloTlsOptions.CertificatePath)}";
        Exists(path, setting);
        try
        {
            if (IsPem(path))
            {
                string? key = options.CertificateKeyPath.Length > 0 ? Path.GetFullPath(options.CertificateKeyPath) : null;
                if (key is not null)
                {
                    Exists(key, $"{SiloTlsOptions.SectionName}:{nameof(SiloTlsOptions.CertificateKeyPath)}");
                }

                return options.CertificatePassword.Length > 0
                    ? X509Certificate2.CreateFromEncryptedPemFile(path, options.CertificatePassword, key)
                    : X509Certificate2.CreateFromPemFile(path, key);
            }

            return X509CertificateLoader.LoadPkcs12FromFile(path, options.CertificatePassword.Length > 0 ? options.CertificatePassword : null);
        }
        catch (CryptographicException ex)
        {
            throw new SiloStartupException($"{setting} is '{options.CertificatePath}': the certificate in {path} cannot be loaded: {ex.Message} "
                + "(a PKCS#12 file with its password in CertificatePassword, or a PEM certificate with its key in the file or in CertificateKeyPath).", ex);
        }
    }

    private static X509Certificate2 FromStore(SiloTlsOptions options)
    {
        StoreName name = Enum.Parse<StoreName>(options.CertificateStoreName, ignoreCase: true);
        StoreLocation location = Enum.Parse<StoreLocation>(options.CertificateStoreLocation, ignoreCase: true);
        using var store = new X509Store(name, location);
        try
        {
            store.Open(OpenFlags.ReadOnly | OpenFlags.OpenExistingOnly);
        }
        catch (CryptographicException ex)
        {
            throw new SiloStartupException($"{SiloTlsOptions.SectionName}:{nameof(SiloTlsOptions.CertificateStoreName)}: the store {location}/{name} cannot be opened: {ex.Message}", ex);
        }

        X509Certificate2? found = store.Certificates.Find(X509FindType.FindBySubjectName, options.CertificateSubject, validOnly: false)
            .Where(c => c.HasPrivateKey && c.NotBefore <= DateTime.Now && DateTime.Now <= c.NotAfter)
            .OrderByDescending(c => c.NotAfter)
            .FirstOrDefault();
        return found ?? throw new SiloStartupException($"{SiloTlsOptions.SectionName}:{nameof(SiloTlsOptions.CertificateSubject)} is '{options.CertificateSubject}': "
            + $"the store {location}/{name} holds no certificate of that subject, valid now, with its private key.");
    }

    private static X509Certificate2Collection TrustedFromFile(string configured)
    {
        string path = Path.GetFullPath(configured);
        string setting = $"{SiloTlsOptions.SectionName}:{nameof(SiloTlsOptions.TrustedCertificatesPath)}";
        Exists(path, setting);
        var trusted = new X509Certificate2Collection();
        try
        {
            if (IsPem(path))
            {
                trusted.ImportFromPemFile(path);
            }
            else
            {
                trusted.Add(X509CertificateLoader.LoadCertificateFromFile(path));
            }
        }
        catch (CryptographicException ex)
        {
            throw new SiloStartupException($"{setting} is '{configured}': the certificates in {path} cannot be read: {ex.Message}", ex);
        }

        return trusted.Count > 0 ? trusted : throw new SiloStartupException($"{setting} is '{configured}': {path} holds no certificate.");
    }

    private static bool IsPem(string path)
    {
        using var reader = new StreamReader(path);
        char[] start = new char[4096];
        int read = reader.ReadBlock(start, 0, start.Length);
        return new string(start, 0, read).Contains("-----BEGIN ", StringComparison.Ordinal);
    }

    private static void Exists(string path, string setting)
    {
        if (!File.Exists(path))
        {
            throw new SiloStartupException($"{setting}: the file {path} does not exist.");
        }
    }

    private static string Source(SiloTlsOptions options) => options.CertificatePath.Length > 0
        ? $"{SiloTlsOptions.SectionName}:{nameof(SiloTlsOptions.CertificatePath)} is '{options.CertificatePath}'"
        : $"{SiloTlsOptions.SectionName}:{nameof(SiloTlsOptions.CertificateSubject)} is '{options.CertificateSubject}'";
}
