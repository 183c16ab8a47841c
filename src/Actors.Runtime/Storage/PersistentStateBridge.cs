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
    private readonly string? _selectedBy;
    private IGrainStorage? _storage;

    /// <param name="stateName">The state's name within the grain.</param>
    /// <param name="storeName">The grain storage.</param>
    /// <param name="selectedBy">What named the store (an attribute), or null when it is the default.</param>
    /// <param name="activation">The activation; the state is loaded before its lifecycle starts.</param>
    public PersistentStateBridge(string stateName, string storeName, string? selectedBy, ActivationData activation)
    {
        Name = stateName;
        StoreName = storeName;
        _selectedBy = selectedBy;
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
        ?? throw _activation.ClassInfo.Stores.MissingGrainStorage(StoreName, Name == Grain<object>.StateName && _activation.ClassInfo.IsStateful ? null : Name, _selectedBy);

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
