using Actors.Client;
using Actors.Invocation;

namespace Actors.TestingHost;

/// <summary>
/// The test cluster's default client: calls go in-process to a running silo's invoker (the in-silo copy rule applies
/// instead of serialization), so the client survives silo restarts.
/// </summary>
internal sealed class InProcessClusterClient(TestCluster cluster)
    : DelegatingGrainFactory(CreateReferences(cluster)), IClusterClient
{
    /// <inheritdoc />
    public bool IsConnected => cluster.Silos.Any(s => s.IsRunning);

    /// <inheritdoc />
    public Task ConnectAsync(CancellationToken cancellationToken = default) => IsConnected
        ? Task.CompletedTask
        : throw new SiloUnavailableException("No silo of the test cluster is running.");

    /// <inheritdoc />
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private static GrainReferenceFactory CreateReferences(TestCluster cluster)
        => new(new ClusterClientInvoker(cluster), GrainTypeNames.ForInterface, objects: new RunningSiloObjectRegistry(cluster));
}
