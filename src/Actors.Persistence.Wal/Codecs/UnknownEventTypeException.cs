namespace Actors.Persistence.Wal;

/// <summary>
/// A stored event carries a type name that no registered event type or upcaster knows. The stored data is left
/// untouched; register the type (or an upcaster from the old name) and activate the grain again.
/// </summary>
[GenerateSerializer]
public sealed class UnknownEventTypeException : Exception
{
    /// <summary>Creates the exception.</summary>
    public UnknownEventTypeException(string typeName, string streamId, long version)
        : base($"Unknown event type name '{typeName}' in stream '{streamId}' at version {version}. Register an event type with [EventType(\"{typeName}\")] or an upcaster from that name. The stored data was not modified.")
    {
        TypeName = typeName;
        StreamId = streamId;
        Version = version;
    }

    /// <summary>The unknown type name.</summary>
    [Id(0)]
    public string TypeName { get; }

    /// <summary>The stream holding the event.</summary>
    [Id(1)]
    public string StreamId { get; }

    /// <summary>The event's version in its stream.</summary>
    [Id(2)]
    public long Version { get; }
}
