using Actors.Client;
using Actors.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace Actors.TestingHost;

/// <summary>
/// Builds an in-process <see cref="TestCluster"/> in the manner of Orleans' <c>TestClusterBuilder</c>:
/// <c>var builder = new TestClusterBuilder(3); builder.AddSiloBuilderConfigurator&lt;MySilo&gt;(); var cluster = builder.Build(); cluster.Deploy();</c>.
/// </summary>
/// <remarks>
/// One silo (the default) runs without clustering, as the embedded default; with <see cref="TestClusterOptions.InitialSilosCount"/>
/// of two or more the silos form a cluster over an in-process membership store shared by the cluster's silos.
/// </remarks>
public sealed class TestClusterBuilder
{
    private readonly List<Action<ISiloBuilder>> _siloConfigurators = [];
    private readonly List<Action<IHostBuilder>> _hostConfigurators = [];
    private readonly List<Action<IConfiguration, ClusterClientBuilder>> _clientConfigurators = [];

    /// <summary>Creates a builder for a one-silo cluster.</summary>
    public TestClusterBuilder()
    {
    }

    /// <summary>Creates a builder for a cluster of <paramref name="initialSilosCount"/> silos.</summary>
    public TestClusterBuilder(short initialSilosCount)
    {
        Options.InitialSilosCount = initialSilosCount;
    }

    /// <summary>The cluster's options.</summary>
    public TestClusterOptions Options { get; } = new();

    /// <summary>Shortcut for <see cref="TestClusterOptions.BaseDirectory"/>.</summary>
    public string? BaseDirectory
    {
        get => Options.BaseDirectory;
        set => Options.BaseDirectory = value;
    }

    /// <summary>Adds a configurator type, instantiated for every silo start.</summary>
    public TestClusterBuilder AddSiloBuilderConfigurator<TConfigurator>()
        where TConfigurator : ISiloConfigurator, new()
    {
        _siloConfigurators.Add(silo => new TConfigurator().Configure(silo));
        return this;
    }

    /// <summary>Adds a client configurator type, applied to the cluster's gateway client; it also turns <see cref="TestClusterOptions.ConnectClientThroughGateway"/> on.</summary>
    public TestClusterBuilder AddClientBuilderConfigurator<TConfigurator>()
        where TConfigurator : IClientBuilderConfigurator, new()
    {
        _clientConfigurators.Add((configuration, client) => new TConfigurator().Configure(configuration, client));
        return this;
    }

    /// <summary>Adds a configuration step run for every silo start.</summary>
    public TestClusterBuilder ConfigureSilo(Action<ISiloBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        _siloConfigurators.Add(configure);
        return this;
    }

    /// <summary>Adds a host configuration step (configuration sources, logging) run for every silo start.</summary>
    public TestClusterBuilder ConfigureHost(Action<IHostBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        _hostConfigurators.Add(configure);
        return this;
    }

    /// <summary>Adds a client configuration step, applied to the cluster's gateway client; it also turns <see cref="TestClusterOptions.ConnectClientThroughGateway"/> on.</summary>
    public TestClusterBuilder ConfigureClient(Action<ClusterClientBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        _clientConfigurators.Add((_, client) => configure(client));
        return this;
    }

    /// <summary>Creates the cluster (not started: call <see cref="TestCluster.Deploy"/> or <see cref="TestCluster.DeployAsync"/>).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="TestClusterOptions.InitialSilosCount"/> is below 1.</exception>
    public TestCluster Build()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Options.InitialSilosCount, (short)1, nameof(Options.InitialSilosCount));
        bool ownsDirectory = Options.BaseDirectory is null;
        string baseDirectory = Options.BaseDirectory ?? Path.Combine(Path.GetTempPath(), "actors-testcluster-" + Guid.NewGuid().ToString("N"));
        var options = new TestClusterOptions
        {
            InitialSilosCount = Options.InitialSilosCount,
            ClusterId = Options.ClusterId,
            BaseDirectory = baseDirectory,
            ConnectClientThroughGateway = Options.ConnectClientThroughGateway || _clientConfigurators.Count > 0,
            UseClustering = Options.UseClustering,
            PartitionCount = Options.PartitionCount,
            ConfigureClusterOptions = Options.ConfigureClusterOptions,
            ClusterStore = Options.ClusterStore,
        };
        return new TestCluster(options, ownsDirectory, [.. _siloConfigurators], [.. _hostConfigurators], [.. _clientConfigurators]);
    }
}
