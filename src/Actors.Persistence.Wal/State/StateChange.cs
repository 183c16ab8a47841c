namespace Actors.Persistence.Wal;

/// <summary>One change of a named persistent state in an atomic write.</summary>
/// <param name="StateName">The state's name, unique within the grain.</param>
/// <param name="StateType">The declared state type.</param>
/// <param name="State">The new value (ignored for a clear).</param>
/// <param name="ETag">The tag the caller last saw (null when it saw no record); must match the stored tag.</param>
/// <param name="IsClear">True to delete the state's record.</param>
public readonly record struct StateChange(string StateName, Type StateType, object? State, string? ETag, bool IsClear);
