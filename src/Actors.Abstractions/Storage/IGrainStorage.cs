namespace Actors.Storage;

/// <summary>
/// Stores named grain states (Orleans' <c>IGrainStorage</c> shape). Registered as a keyed singleton by store name;
/// <see cref="IPersistentState{TState}"/> calls it.
/// </summary>
/// <remarks>
/// ETag rule: a write or clear succeeds only when <see cref="IGrainState.ETag"/> equals the stored record's tag (null
/// when there is no record); otherwise it throws <see cref="InconsistentStateException"/> and stores nothing. On
/// success the provider sets the new tag and <see cref="IGrainState.RecordExists"/>. A completed task means the change
/// is as durable as the provider promises. Implementations must be thread-safe.
/// </remarks>
public interface IGrainStorage
{
    /// <summary>Reads the state into <paramref name="grainState"/> (State, ETag, RecordExists); a missing record yields a default state, a null tag and RecordExists false.</summary>
    Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState);

    /// <summary>Writes the state if its tag matches, then updates the tag.</summary>
    /// <exception cref="InconsistentStateException">The tag is stale.</exception>
    Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState);

    /// <summary>Deletes the record if its tag matches; afterwards ETag is null and RecordExists false.</summary>
    /// <exception cref="InconsistentStateException">The tag is stale.</exception>
    Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState);
}
