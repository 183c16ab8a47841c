namespace Actors.Storage;

/// <summary>A grain state as a storage provider sees it, without its static type (for atomic multi-state writes).</summary>
public interface IGrainState
{
    /// <summary>The declared type of the state.</summary>
    Type StateType { get; }

    /// <summary>The state object.</summary>
    object? StateObject { get; }

    /// <summary>The provider's version tag of the stored record; null when no record exists.</summary>
    string? ETag { get; set; }

    /// <summary>Whether a record exists in storage.</summary>
    bool RecordExists { get; set; }
}
