namespace Actors.Storage;

/// <summary>What <see cref="PersistentStates.WriteAllAsync"/> needs from a runtime-created persistent state.</summary>
internal interface IAtomicWritable
{
    string Name { get; }

    GrainId GrainId { get; }

    string StoreName { get; }

    IGrainStorage Storage { get; }

    IGrainState RawState { get; }

    void OnUncertainFailure(Exception exception, string operation);
}
