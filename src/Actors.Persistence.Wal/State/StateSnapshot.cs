namespace Actors.Persistence.Wal;

/// <summary>A named persistent state as read from a grain's stream.</summary>
/// <param name="State">The stored value; null when there is no record.</param>
/// <param name="ETag">The record's tag (the stream version of its last write); null when there is no record.</param>
/// <param name="RecordExists">Whether a record exists.</param>
public readonly record struct StateSnapshot(object? State, string? ETag, bool RecordExists);
