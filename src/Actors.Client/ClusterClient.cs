using Actors.Invocation;

namespace Actors.Client;

/// <summary>The <see cref="IClusterClient"/> implementation: a <see cref="GatewayCallInvoker"/> plus the runtime's grain references over it.</summary>
internal sealed class ClusterClient : IClusterClient
{
    private readonly GatewayCallInvoker _invoker;
    private readonly IGrainFactory _references;

    public ClusterClient(GatewayCallInvoker invoker)
    {
        _invoker = invoker;
        _references = ClientGrainReferences.Create(invoker);
    }

    /// <summary>The invoker the references send calls to.</summary>
    public IGrainCallInvoker Invoker => _invoker;

    /// <inheritdoc />
    public bool IsConnected => _invoker.IsConnected;

    /// <inheritdoc />
    public async Task ConnectAsync(CancellationToken cancellationToken = default) => await _invoker.ConnectAsync(cancellationToken);

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
    public ValueTask DisposeAsync() => _invoker.DisposeAsync();
}
