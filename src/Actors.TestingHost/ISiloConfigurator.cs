using Actors.Hosting;

namespace Actors.TestingHost;

/// <summary>Configures every silo of a <see cref="TestCluster"/> (Orleans' shape). Needs a parameterless constructor.</summary>
public interface ISiloConfigurator
{
    /// <summary>Configures one silo; <see cref="TestSiloContextExtensions.GetTestSiloContext"/> tells which.</summary>
    void Configure(ISiloBuilder siloBuilder);
}
