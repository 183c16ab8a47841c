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
    public TGrainInterface GetGrain<TGrainInterface>(string primaryKey, string? grainClassNamePrefix = null)
        where TGrainInterface : IGrainWithStringKey
        => _references.GetGrain<TGrainInterface>(primaryKey, grainClassNamePrefix);

    /// <inheritdoc />
    public TGrainInterface GetGrain<TGrainInterface>(Guid primaryKey, string? grainClassNamePrefix = null)
        where TGrainInterface : IGrainWithGuidKey
        => _references.GetGrain<TGrainInterface>(primaryKey, grainClassNamePrefix);

    /// <inheritdoc />
    public TGrainInterface GetGrain<TGrainInterface>(long primaryKey, string? grainClassNamePrefix = null)
        where TGrainInterface : IGrainWithIntegerKey
        => _references.GetGrain<TGrainInterface>(primaryKey, grainClassNamePrefix);

    /// <inheritdoc />
    public TGrainInterface GetGrain<TGrainInterface>(Guid primaryKey, string keyExtension, string? grainClassNamePrefix = null)
        where TGrainInterface : IGrainWithGuidCompoundKey
        => _references.GetGrain<TGrainInterface>(primaryKey, keyExtension, grainClassNamePrefix);

    /// <inheritdoc />
    public TGrainInterface GetGrain<TGrainInterface>(long primaryKey, string keyExtension, string? grainClassNamePrefix = null)
        where TGrainInterface : IGrainWithIntegerCompoundKey
        => _references.GetGrain<TGrainInterface>(primaryKey, keyExtension, grainClassNamePrefix);

    /// <inheritdoc />
    public IGrain GetGrain(Type grainInterfaceType, Guid grainPrimaryKey) => _references.GetGrain(grainInterfaceType, grainPrimaryKey);

    /// <inheritdoc />
    public IGrain GetGrain(Type grainInterfaceType, long grainPrimaryKey) => _references.GetGrain(grainInterfaceType, grainPrimaryKey);

    /// <inheritdoc />
    public IGrain GetGrain(Type grainInterfaceType, string grainPrimaryKey) => _references.GetGrain(grainInterfaceType, grainPrimaryKey);

    /// <inheritdoc />
    public IGrain GetGrain(Type grainInterfaceType, Guid grainPrimaryKey, string keyExtension) => _references.GetGrain(grainInterfaceType, grainPrimaryKey, keyExtension);

    /// <inheritdoc />
    public IGrain GetGrain(Type grainInterfaceType, long grainPrimaryKey, string keyExtension) => _references.GetGrain(grainInterfaceType, grainPrimaryKey, keyExtension);

    /// <inheritdoc />
    public TGrainInterface GetGrain<TGrainInterface>(GrainId grainId)
        where TGrainInterface : Runtime.IAddressable
        => _references.GetGrain<TGrainInterface>(grainId);

    /// <inheritdoc />
    public Runtime.IAddressable GetGrain(GrainId grainId) => _references.GetGrain(grainId);

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _invoker.DisposeAsync();
}
