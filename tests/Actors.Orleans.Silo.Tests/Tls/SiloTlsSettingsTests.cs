using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Actors.Orleans.Silo.Hosting;
using Actors.Orleans.Silo.Options;
using Actors.Orleans.Silo.Security;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Actors.Orleans.Silo.Tests.Tls;

/// <summary>Section Actors:Tls: validation naming the setting, certificates loaded from files, the cluster's certificate rule; and the listening ports behind a proxy.</summary>
public sealed class SiloTlsSettingsTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    [Fact]
    public void Read_NoSection_TlsOff()
    {
        SiloTlsOptions options = SiloTlsExtensions.Read(new ConfigurationBuilder().Build());
        Assert.False(options.Enabled);
    }

    [Theory]
    [InlineData("CertificateSubject", "CN=silo", "Actors:Tls:CertificateSubject is 'CN=silo'; it must be empty when Actors:Tls:CertificatePath names a file")]
    [InlineData("CertificateStoreLocation", "Elsewhere", "Actors:Tls:CertificateStoreLocation is 'Elsewhere'")]
    public void Read_InvalidValue_FailsNamingTheSetting(string setting, string value, string expected)
    {
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(
            [new("Actors:Tls:CertificatePath", "silo.pfx"), new($"Actors:Tls:{setting}", value)]).Build();
        var error = Assert.Throws<OptionsValidationException>(() => SiloTlsExtensions.Read(configuration));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MissingFileOrWrongPassword_FailsNamingTheSetting()
    {
        var missing = Assert.Throws<SiloStartupException>(() => SiloCertificates.Load(new SiloTlsOptions { CertificatePath = _directory.File("absent.pfx") }));
        Assert.Contains("Actors:Tls:CertificatePath: the file", missing.Message, StringComparison.Ordinal);

        using X509Certificate2 certificate = TestCertificates.SelfSigned("CN=actors-cluster");
        string pfx = TestCertificates.WritePfx(certificate, _directory.File("silo.pfx"));
        var wrong = Assert.Throws<SiloStartupException>(() => SiloCertificates.Load(new SiloTlsOptions { CertificatePath = pfx, CertificatePassword = "wrong" }));
        Assert.Contains("Actors:Tls:CertificatePath is '", wrong.Message, StringComparison.Ordinal);

        string pem = TestCertificates.WritePem(certificate, _directory.File("silo.pem"));
        var keyless = Assert.Throws<SiloStartupException>(() => SiloCertificates.Load(new SiloTlsOptions { CertificatePath = pem }));
        Assert.Contains("Actors:Tls:CertificatePath is '", keyless.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_SharedClusterCertificate_AcceptsItAndRefusesAnotherOfTheSameSubject()
    {
        using X509Certificate2 cluster = TestCertificates.SelfSigned("CN=actors-cluster");
        using X509Certificate2 impostor = TestCertificates.SelfSigned("CN=actors-cluster");
        SiloCertificates loaded = SiloCertificates.Load(new SiloTlsOptions
        {
            CertificatePath = TestCertificates.WritePfx(cluster, _directory.File("cluster.pfx")),
            CertificatePassword = TestCertificates.Password,
        });
        var logs = new CollectingLoggerProvider();
        using var factory = LoggerFactory.Create(b => b.AddProvider(logs));
        var validator = new ClusterCertificateValidator(loaded.Trusted, factory.CreateLogger("tls"), "silo inbound");

        Assert.True(validator.Validate(X509CertificateLoader.LoadCertificate(cluster.RawData), null, SslPolicyErrors.RemoteCertificateChainErrors));
        Assert.False(validator.Validate(X509CertificateLoader.LoadCertificate(impostor.RawData), null, SslPolicyErrors.RemoteCertificateChainErrors));
        Assert.Contains(logs.Messages, m => m.Contains($"refused the peer's certificate CN=actors-cluster ({impostor.Thumbprint})", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_TrustedAuthority_AcceptsALeafItSignedAndRefusesASelfSignedOne()
    {
        (X509Certificate2 authority, X509Certificate2 leaf) = TestCertificates.AuthorityAndLeaf("CN=actors-ca", "CN=silo-0");
        (_, X509Certificate2 otherLeaf) = TestCertificates.AuthorityAndLeaf("CN=actors-ca", "CN=silo-0");
        SiloCertificates loaded = SiloCertificates.Load(new SiloTlsOptions
        {
            CertificatePath = TestCertificates.WritePfx(leaf, _directory.File("silo-0.pfx")),
            CertificatePassword = TestCertificates.Password,
            TrustedCertificatesPath = TestCertificates.WritePem(authority, _directory.File("ca.pem")),
        });
        var validator = new ClusterCertificateValidator(loaded.Trusted, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, "gateway");

        Assert.True(validator.Validate(X509CertificateLoader.LoadCertificate(leaf.RawData), null, SslPolicyErrors.RemoteCertificateChainErrors));
        Assert.False(validator.Validate(X509CertificateLoader.LoadCertificate(otherLeaf.RawData), null, SslPolicyErrors.RemoteCertificateChainErrors));
    }

    [Fact]
    public void Resolve_ListeningPortsSet_AdvertisesOnePortAndListensOnTheOther()
    {
        SiloEndpoints endpoints = SiloEndpoints.Resolve(new ActorsSiloOptions { SiloPort = 21001, SiloListeningPort = 21002, GatewayPort = 21003, DashboardPort = 0 });
        Assert.Equal((21001, 21002, 21003, 21003), (endpoints.SiloPort, endpoints.SiloListeningPort, endpoints.GatewayPort, endpoints.GatewayListeningPort));
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection([new("Actors:SiloListeningPort", "0")]).Build();
        var error = Assert.Throws<OptionsValidationException>(() => SiloSettings.Read(configuration));
        Assert.Contains("Actors:SiloListeningPort is '0'", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _directory.Dispose();
}
