namespace Actors.Storage;

/// <summary>A grain's named persistent state without its static type (see <see cref="IPersistentState{TState}"/>).</summary>
public interface IPersistentState
{
    /// <summary>The state's name.</summary>
    string Name { get; }

    /// <summary>The version tag of the stored record, or null when none exists.</summary>
    string? Etag { get; }

    /// <summary>Whether a record exists in storage.</summary>
    bool RecordExists { get; }

    /// <summary>Reloads the state from storage, replacing <c>State</c>.</summary>
    Task ReadStateAsync();

    /// <summary>Writes <c>State</c>; completes when stored.</summary>
    /// <exception cref="InconsistentStateException">The stored record changed since it was read.</exception>
    Task WriteStateAsync();

    /// <summary>Deletes the stored record and resets <c>State</c> to a default value.</summary>
    /// <exception cref="InconsistentStateException">The stored record changed since it was read.</exception>
    Task ClearStateAsync();
}
