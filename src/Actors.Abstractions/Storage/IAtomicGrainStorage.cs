namespace Actors.Storage;

/// <summary>A grain storage that can write several named states of one grain in one atomic batch.</summary>
public interface IAtomicGrainStorage : IGrainStorage
{
    /// <summary>
    /// Writes every state or none: all tags are checked first (any stale tag throws
    /// <see cref="InconsistentStateException"/> and nothing is written), then all states are written as one batch and
    /// each entry's tag and RecordExists are updated.
    /// </summary>
    /// <param name="grainId">The grain.</param>
    /// <param name="states">The states by name; names are distinct.</param>
    Task WriteStatesAsync(GrainId grainId, IReadOnlyList<KeyValuePair<string, IGrainState>> states);
}
