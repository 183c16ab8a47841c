using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;

namespace Actors.Orleans.Silo.Options;

/// <summary>Checks <see cref="SiloTlsOptions"/>; each failure names the setting (<c>Actors:Tls:CertificatePath</c>), its value and what is allowed.</summary>
public sealed class SiloTlsOptionsValidator : IValidateOptions<SiloTlsOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, SiloTlsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        Require(failures, options.CertificatePath.Length == 0 || options.CertificateSubject.Length == 0, nameof(options.CertificateSubject), options.CertificateSubject,
            $"empty when {SiloTlsOptions.SectionName}:{nameof(options.CertificatePath)} names a file (one certificate source)");
        Require(failures, options.CertificateKeyPath.Length == 0 || options.CertificatePath.Length > 0, nameof(options.CertificateKeyPath), options.CertificateKeyPath,
            $"empty unless {SiloTlsOptions.SectionName}:{nameof(options.CertificatePath)} names the certificate's PEM file");
        Require(failures, options.TrustedCertificatesPath.Length == 0 || options.Enabled, nameof(options.TrustedCertificatesPath), options.TrustedCertificatesPath,
            $"empty unless a certificate is configured ({SiloTlsOptions.SectionName}:{nameof(options.CertificatePath)} or {nameof(options.CertificateSubject)})");
        Require(failures, Enum.TryParse(options.CertificateStoreName, ignoreCase: true, out StoreName _), nameof(options.CertificateStoreName), options.CertificateStoreName,
            "a store name such as My or Root");
        Require(failures, Enum.TryParse(options.CertificateStoreLocation, ignoreCase: true, out StoreLocation _), nameof(options.CertificateStoreLocation), options.CertificateStoreLocation,
            "CurrentUser or LocalMachine");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Require(List<string> failures, bool valid, string setting, string value, string allowed)
    {
        if (!valid)
        {
            failures.Add($"{SiloTlsOptions.SectionName}:{setting} is '{value}'; it must be {allowed}.");
        }
    }
}
