namespace Actors.Storage;

/// <summary>
/// What <see cref="PersistentStates.WriteAllAsync"/> needs from a persistent state: implemented by the runtime's
/// <see cref="IPersistentState{TState}"/>. Infrastructure: grain code uses <see cref="PersistentStates"/>, not this.
/// </summary>
public interface IAtomicWritable
{
    /// <summary>The state's name.</summary>
    string Name { get; }

    /// <summary>The grain the state belongs to.</summary>
    GrainId GrainId { get; }

    /// <summary>The store the state is kept in.</summary>
    string StoreName { get; }

    /// <summary>The store's grain storage.</summary>
    IGrainStorage Storage { get; }

    /// <summary>The state with its tag, as the storage sees it.</summary>
    IGrainState RawState { get; }

    /// <summary>Reports a write whose outcome is unknown: the activation deactivates so the next one reloads from storage.</summary>
    void OnUncertainFailure(Exception exception, string operation);
}
