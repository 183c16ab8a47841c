using Actors.Client;
using Actors.Invocation;

namespace Actors.TestingHost;

/// <summary>
/// The test cluster's default client: calls go in-process to a running silo's invoker (the in-silo copy rule applies
/// instead of serialization), so the client survives silo restarts.
/// </summary>
internal sealed class InProcessClusterClient(TestCluster cluster) : IClusterClient
{
    private readonly GrainReferenceFactory _references = new(new ClusterClientInvoker(cluster));

    /// <inheritdoc />
    public bool IsConnected => cluster.Silos.Any(s => s.IsRunning);

    /// <inheritdoc />
    public Task ConnectAsync(CancellationToken cancellationToken = default) => IsConnected
        ? Task.CompletedTask
        : throw new SiloUnavailableException("No silo of the test cluster is running.");

    /// <inheritdoc />
    public TGrainInterface GetGrain<TGrainInterface>(string primaryKey)
        where TGrainInterface : IGrainWithStringKey
        => _references.GetGrain<TGrainInterface>(primaryKey);

    /// <inheritdoc />
    public TGrainInterface GetGrain<TGrainInterface>(Guid primaryKey)
        where TGrainInterface : IGrainWithGuidKey
        => _references.GetGrain<TGrainInterface>(primaryKey);

    /// <inheritdoc />
    public TGrainInterface GetGrain<TGrainInterface>(long primaryKey)
        where TGrainInterface : IGrainWithIntegerKey
        => _references.GetGrain<TGrainInterface>(primaryKey);

    /// <inheritdoc />
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
