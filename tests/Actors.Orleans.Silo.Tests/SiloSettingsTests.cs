using Actors.Orleans.Clustering;
using Actors.Orleans.Silo.Hosting;
using Actors.Orleans.Silo.Options;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Hosting;

namespace Actors.Orleans.Silo.Tests;

/// <summary>The host's own settings: validation naming the setting, environment variables binding, the replication setting adding the partitioned log.</summary>
public sealed class SiloSettingsTests
{
    [Theory]
    [InlineData("DashboardBindAddress", "localhost", "Actors:DashboardBindAddress is 'localhost'")]
    [InlineData("BindAddress", "any", "Actors:BindAddress is 'any'")]
    [InlineData("OtlpEndpoint", "collector:4317", "Actors:OtlpEndpoint is 'collector:4317'")]
    [InlineData("ReplicationFactor", "0", "Actors:ReplicationFactor is '0'")]
    [InlineData("DashboardPort", "70000", "Actors:DashboardPort is '70000'")]
    public void Read_InvalidValue_FailsNamingTheSetting(string setting, string value, string expected)
    {
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection([new($"Actors:{setting}", value)]).Build();
        var error = Assert.Throws<OptionsValidationException>(() => SiloSettings.Read(configuration));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_GrainAssembliesWithoutDirectory_FailsNamingBoth()
    {
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection([new("Actors:GrainAssemblies:0", "MyGrains.dll")]).Build();
        var error = Assert.Throws<OptionsValidationException>(() => SiloSettings.Read(configuration));
        Assert.Contains("Actors:GrainAssemblies is 'MyGrains.dll'; it must be empty unless Actors:GrainsDirectory names their directory", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_ComposeStyleVariables_BindEverySetting()
    {
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(
        [
            new("Actors:BindAddress", "0.0.0.0"),
            new("Actors:AdvertisedAddress", "silo-0"),
            new("Actors:GrainsDirectory", "/app/grains"),
            new("Actors:GrainAssemblies:0", "A.dll"),
            new("Actors:GrainAssemblies:1", "B.dll"),
            new("Actors:ClusteringConnectionString", "Host=postgres"),
            new("Actors:KubernetesHosting", "true"),
            new("Actors:JsonConsoleLogs", "true"),
        ]).Build();
        ActorsSiloOptions options = SiloSettings.Read(configuration);
        Assert.Equal("0.0.0.0", options.BindAddress);
        Assert.Equal("silo-0", options.AdvertisedAddress);
        Assert.Equal(["A.dll", "B.dll"], options.GrainAssemblies);
        Assert.Equal("Host=postgres", options.ClusteringConnectionString);
        Assert.True(options.KubernetesHosting && options.JsonConsoleLogs);
    }

    [Fact]
    public void AddSiloReplication_ConnectionStringSet_AddsThePartitionedLogWithTheSettings()
    {
        var silo = new FakeSiloBuilder();
        Assert.Same(silo, silo.AddSiloReplication(new ActorsSiloOptions()));
        Assert.DoesNotContain(silo.Services, d => d.ServiceType == typeof(IConfigureOptions<WriteAheadLogReplicationOptions>));

        silo.AddSiloReplication(new ActorsSiloOptions { ReplicationConnectionString = "Host=postgres", ReplicationFactor = 1 });
        using ServiceProvider provider = silo.Services.BuildServiceProvider();
        WriteAheadLogReplicationOptions options = provider.GetRequiredService<IOptions<WriteAheadLogReplicationOptions>>().Value;
        Assert.Equal("Host=postgres", options.ConnectionString);
        Assert.Equal(1, options.ReplicationFactor);
    }

    [Fact]
    public void AddSiloReplication_ReplicationFactorVariable_PassedToTheLibrary()
    {
        // ACTORS__REPLICATIONFACTOR=3 as the environment provider binds it; the library validates the value at start.
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(
        [
            new("Actors:ReplicationConnectionString", "Host=postgres"),
            new("Actors:ReplicationFactor", "3"),
        ]).Build();
        ActorsSiloOptions settings = SiloSettings.Read(configuration);
        var silo = new FakeSiloBuilder();
        silo.AddSiloReplication(settings);
        using ServiceProvider provider = silo.Services.BuildServiceProvider();
        var options = new WriteAheadLogReplicationOptions();
        foreach (IConfigureOptions<WriteAheadLogReplicationOptions> configure in provider.GetServices<IConfigureOptions<WriteAheadLogReplicationOptions>>())
        {
            configure.Configure(options);
        }

        Assert.Equal(3, options.ReplicationFactor);
        Assert.Equal("Host=postgres", options.ConnectionString);
    }

    [Fact]
    public void Resolve_BindAnyWithoutAdvertisedAddress_AdvertisesThisHostsAddress()
    {
        SiloEndpoints endpoints = SiloEndpoints.Resolve(new ActorsSiloOptions { BindAddress = "0.0.0.0", SiloPort = 0, GatewayPort = 0, DashboardPort = 0 });
        Assert.NotNull(endpoints.AdvertisedAddress);
        Assert.NotEqual(System.Net.IPAddress.Any, endpoints.AdvertisedAddress);
        Assert.True(endpoints.SiloPort > 0 && endpoints.GatewayPort > 0 && endpoints.DashboardPort > 0, "ports of 0 are replaced by free ports");
    }
}
