using Actors.Runtime;
using Actors.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Actors;

/// <summary>
/// A grain with one persistent state of type <typeparamref name="TGrainState"/> (Orleans' <c>Grain&lt;TGrainState&gt;</c>):
/// the state named <see cref="StateName"/> in the grain storage of the class's storage attribute
/// (<c>[GrainStorage(StoreName = ...)]</c>, <c>[WriteAheadLog]</c>, ...) or <see cref="StorageNames.Default"/>, read before
/// <see cref="Grain.OnActivateAsync"/>.
/// </summary>
/// <remarks>
/// Writes follow the persistent-state rules (docs/architecture.md): a stale ETag or a state the store refuses throws
/// and leaves the grain running; a write whose outcome is unknown also deactivates the grain so the next activation
/// reloads. A silo that does not configure the store fails to start, naming the grain and the store.
/// </remarks>
/// <typeparam name="TGrainState">The state type; a new instance is the state of a grain never written.</typeparam>
public abstract class Grain<TGrainState> : Grain
{
    /// <summary>The state's name in the grain storage.</summary>
    public const string StateName = "state";

    private readonly IPersistentState<TGrainState> _storage;

    /// <summary>Creates the grain bound to the activation being constructed; its state is read before activation.</summary>
    protected Grain()
    {
        _storage = GrainContext.ActivationServices.GetRequiredService<IPersistentStateFactory>().Create<TGrainState>(GrainContext, StateName);
    }

    /// <summary>Creates the grain over an explicit state (for tests that construct grains themselves).</summary>
    protected Grain(IGrainContext grainContext, IPersistentState<TGrainState> storage)
        : base(grainContext)
    {
        ArgumentNullException.ThrowIfNull(storage);
        _storage = storage;
    }

    /// <summary>The state (as last read or written, plus changes not yet written).</summary>
    protected TGrainState State
    {
        get => _storage.State;
        set => _storage.State = value;
    }

    /// <summary>Writes the state to storage.</summary>
    protected virtual Task WriteStateAsync() => _storage.WriteStateAsync();

    /// <summary>Reads the state from storage again, replacing <see cref="State"/>.</summary>
    protected virtual Task ReadStateAsync() => _storage.ReadStateAsync();

    /// <summary>Deletes the state from storage and resets <see cref="State"/> to a new instance.</summary>
    protected virtual Task ClearStateAsync() => _storage.ClearStateAsync();
}
