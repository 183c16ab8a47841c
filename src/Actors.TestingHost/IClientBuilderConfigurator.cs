using Actors.Client;
using Microsoft.Extensions.Configuration;

namespace Actors.TestingHost;

/// <summary>
/// Configures the gateway client of a <see cref="TestCluster"/> (Orleans' shape). Needs a parameterless constructor.
/// Adding one makes the cluster's client connect through the gateways.
/// </summary>
public interface IClientBuilderConfigurator
{
    /// <summary>Configures the client; <paramref name="configuration"/> holds the cluster's settings.</summary>
    void Configure(IConfiguration configuration, ClusterClientBuilder clientBuilder);
}
