using Actors.Orleans.Silo.Options;
using Actors.Orleans.Silo.Security;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Connections.Security;

namespace Actors.Orleans.Silo.Hosting;

/// <summary>
/// TLS on Orleans's silo-to-silo and gateway links when <see cref="SiloTlsOptions"/> names a certificate, with Orleans's
/// own middleware (Microsoft.Orleans.Connections.Security): silos authenticate each other both ways (a certificate
/// required and validated by <see cref="ClusterCertificateValidator"/> on both ends), and clients are required to present
/// one unless <see cref="SiloTlsOptions.RequireClientCertificates"/> is off.
/// </summary>
internal static class SiloTlsExtensions
{
    /// <summary>Binds section <c>Actors:Tls</c> and validates it.</summary>
    /// <exception cref="OptionsValidationException">A setting is invalid; the message names it.</exception>
    public static SiloTlsOptions Read(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var options = new SiloTlsOptions();
        configuration.GetSection(SiloTlsOptions.SectionName).Bind(options);
        ValidateOptionsResult result = new SiloTlsOptionsValidator().Validate(Microsoft.Extensions.Options.Options.DefaultName, options);
        if (result.Failed)
        {
            throw new OptionsValidationException(Microsoft.Extensions.Options.Options.DefaultName, typeof(SiloTlsOptions), result.Failures);
        }

        return options;
    }

    /// <summary>Adds TLS to the silo's links when <paramref name="options"/> names a certificate; otherwise changes nothing.</summary>
    /// <exception cref="SiloStartupException">A certificate cannot be loaded; the message names the setting.</exception>
    public static ISiloBuilder AddSiloTls(this ISiloBuilder silo, SiloTlsOptions options)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentNullException.ThrowIfNull(options);
        if (!options.Enabled)
        {
            return silo;
        }

        SiloCertificates certificates = SiloCertificates.Load(options);
        silo.Configure<SiloConnectionOptions>(connections =>
        {
            connections.ConfigureSiloInboundConnection(c => c.UseServerTls(Tls(c, certificates, "silo inbound", RemoteCertificateMode.RequireCertificate)));
            connections.ConfigureSiloOutboundConnection(c => c.UseClientTls(Tls(c, certificates, "silo outbound", RemoteCertificateMode.RequireCertificate)));
            connections.ConfigureGatewayInboundConnection(c => c.UseServerTls(Tls(c, certificates, "gateway",
                options.RequireClientCertificates ? RemoteCertificateMode.RequireCertificate : RemoteCertificateMode.AllowCertificate)));
        });
        return silo;
    }

    private static TlsOptions Tls(IConnectionBuilder connection, SiloCertificates certificates, string side, RemoteCertificateMode mode)
    {
        ILogger logger = connection.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ClusterCertificateValidator).FullName!);
        var validator = new ClusterCertificateValidator(certificates.Trusted, logger, side);
        return new TlsOptions
        {
            LocalCertificate = certificates.Local,
            RemoteCertificateMode = mode,
            RemoteCertificateValidation = validator.Validate,
        };
    }
}
