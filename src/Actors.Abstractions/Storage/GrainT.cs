using Actors.Providers;
using Actors.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Actors;

/// <summary>
/// A grain with one persistent state (Orleans' <c>Grain&lt;TGrainState&gt;</c>): <see cref="State"/> is read from the
/// class's store before <see cref="Grain.OnActivateAsync"/> and written by <see cref="WriteStateAsync"/>.
/// </summary>
/// <remarks>
/// <para>The store is the class's <see cref="StorageProviderAttribute"/> (or a provider attribute's store name, such as
/// <c>[WriteAheadLog(StoreName = ...)]</c>), else <see cref="StorageNames.Default"/>; when it is not configured the grain
/// fails to activate with a message naming the class and how to configure a store. The state is stored under the name
/// <see cref="StateName"/> ("state", as in Orleans).</para>
/// <para>Failures are those of <see cref="IPersistentState{TState}"/>: <see cref="InconsistentStateException"/> and
/// <see cref="StateRejectedException"/> leave the activation running and nothing stored; any other exception from a
/// write or clear has an unknown outcome and deactivates the activation once its running requests finish.</para>
/// </remarks>
/// <typeparam name="TState">The state type (serializable by the store's codec).</typeparam>
public abstract class Grain<TState> : Grain
{
    /// <summary>The name of the state in the grain's store: <c>state</c>.</summary>
    public const string StateName = "state";

    private readonly IPersistentState<TState> _storage;

    /// <summary>Creates the grain and its state (read by the runtime before activation).</summary>
    protected Grain()
    {
        GrainStoreSelection stores = GrainStoreSelection.For(GetType());
        _storage = GrainContext.ActivationServices.GetRequiredService<IPersistentStateFactory>()
            .Create<TState>(GrainContext, StateName, stores.StorageName, stores.StorageSelectedBy);
    }

    /// <summary>The grain's state.</summary>
    protected TState State
    {
        get => _storage.State;
        set => _storage.State = value;
    }

    /// <summary>Reloads <see cref="State"/> from the store, replacing it.</summary>
    protected virtual Task ReadStateAsync() => _storage.ReadStateAsync();

    /// <summary>Writes <see cref="State"/>; completes when the store made it durable (as its policy promises).</summary>
    /// <exception cref="InconsistentStateException">The stored record changed since it was read; nothing was stored.</exception>
    /// <exception cref="StateRejectedException">The store refused the state (it cannot be encoded, or is too large); nothing was stored.</exception>
    protected virtual Task WriteStateAsync() => _storage.WriteStateAsync();

    /// <summary>Deletes the stored state and resets <see cref="State"/> to a new value.</summary>
    /// <exception cref="InconsistentStateException">The stored record changed since it was read; nothing was changed.</exception>
    protected virtual Task ClearStateAsync() => _storage.ClearStateAsync();
}
