using Actors.Hosting;
using Microsoft.Extensions.Hosting;

namespace Actors.TestingHost;

/// <summary>
/// Builds an in-process <see cref="TestCluster"/> in the manner of Orleans' <c>TestClusterBuilder</c>. A cluster has
/// one silo: the runtime has no cross-silo grain directory, so two silos would each activate the same grain.
/// </summary>
public sealed class TestClusterBuilder
{
    private readonly List<Action<ISiloBuilder>> _siloConfigurators = [];
    private readonly List<Action<IHostBuilder>> _hostConfigurators = [];

    /// <summary>
    /// The directory under which each silo gets its data directory; default a new directory under the system temp
    /// directory, deleted when the cluster is disposed.
    /// </summary>
    public string? BaseDirectory { get; set; }

    /// <summary>Adds a configurator type, instantiated for every silo start.</summary>
    public TestClusterBuilder AddSiloBuilderConfigurator<TConfigurator>()
        where TConfigurator : ISiloConfigurator, new()
    {
        _siloConfigurators.Add(silo => new TConfigurator().Configure(silo));
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

    /// <summary>Creates the cluster (not started: call <see cref="TestCluster.DeployAsync"/>).</summary>
    public TestCluster Build()
    {
        bool ownsDirectory = BaseDirectory is null;
        string baseDirectory = BaseDirectory ?? Path.Combine(Path.GetTempPath(), "actors-testcluster-" + Guid.NewGuid().ToString("N"));
        return new TestCluster(baseDirectory, ownsDirectory, [.. _siloConfigurators], [.. _hostConfigurators]);
    }
}
