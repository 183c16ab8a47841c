using Actors.Runtime;
using Microsoft.Extensions.DependencyInjection;

namespace Actors.Storage;

/// <summary>
/// The runtime's <see cref="IPersistentState{TState}"/>: binds a named state of one activation to the keyed
/// <see cref="IGrainStorage"/> of its store, and deactivates the activation after a write whose outcome is unknown.
/// </summary>
internal sealed class PersistentStateBridge<TState> : IPersistentState<TState>, IPersistentStateLoader, IAtomicWritable
{
    private readonly GrainState<TState> _grainState = new();
    private readonly ActivationData _activation;
    private IGrainStorage? _storage;

    public PersistentStateBridge(string stateName, string storeName, ActivationData activation)
    {
        Name = stateName;
        StoreName = storeName;
        _activation = activation;
        activation.AddStateLoader(this);
    }

    public string Name { get; }

    public string StoreName { get; }

    public GrainId GrainId => _activation.GrainId;

    public TState State
    {
        get => _grainState.State;
        set => _grainState.State = value;
    }

    public string? Etag => _grainState.ETag;

    public bool RecordExists => _grainState.RecordExists;

    public IGrainState RawState => _grainState;

    public IGrainStorage Storage => _storage ??= _activation.Runtime.Services.GetKeyedService<IGrainStorage>(StoreName)
        ?? throw new InvalidOperationException(
            $"Grain type '{_activation.ClassInfo.GrainClass.FullName}' ('{_activation.ClassInfo.TypeName}') uses grain storage '{StoreName}' for persistent state '{Name}', but no grain storage named '{StoreName}' is configured.");

    public Task LoadAsync() => ReadStateAsync();

    public Task ReadStateAsync() => Storage.ReadStateAsync(Name, GrainId, _grainState);

    public async Task WriteStateAsync()
    {
        try
        {
            await Storage.WriteStateAsync(Name, GrainId, _grainState);
        }
        catch (Exception ex) when (ex is not (InconsistentStateException or StateRejectedException))
        {
            OnUncertainFailure(ex, "WriteStateAsync");
            throw;
        }
    }

    public async Task ClearStateAsync()
    {
        try
        {
            await Storage.ClearStateAsync(Name, GrainId, _grainState);
            _grainState.State = GrainState<TState>.CreateDefault();
        }
        catch (Exception ex) when (ex is not (InconsistentStateException or StateRejectedException))
        {
            OnUncertainFailure(ex, "ClearStateAsync");
            throw;
        }
    }

    public void OnUncertainFailure(Exception exception, string operation)
    {
        _activation.Runtime.Log.StorageFailed(exception, GrainId, $"{operation} of state '{Name}'");
        _activation.Invalidate(new DeactivationReason(DeactivationReasonCode.StorageFailed, $"{operation} of state '{Name}' failed: {exception.Message}"));
    }
}
