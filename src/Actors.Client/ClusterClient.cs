using Actors.Invocation;

namespace Actors.Client;

/// <summary>The <see cref="IClusterClient"/> implementation: a <see cref="GatewayCallInvoker"/> plus the runtime's grain references over it.</summary>
internal sealed class ClusterClient(GatewayCallInvoker invoker) : DelegatingGrainFactory(ClientGrainReferences.Create(invoker, invoker.Observers)), IClusterClient
{
    /// <summary>The invoker the references send calls to.</summary>
    public IGrainCallInvoker Invoker => invoker;

    /// <inheritdoc />
    public bool IsConnected => invoker.IsConnected;

    /// <inheritdoc />
    public async Task ConnectAsync(CancellationToken cancellationToken = default) => await invoker.ConnectAsync(cancellationToken);

    /// <inheritdoc />
    public ValueTask DisposeAsync() => invoker.DisposeAsync();
}
