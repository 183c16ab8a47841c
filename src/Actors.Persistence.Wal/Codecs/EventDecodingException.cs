namespace Actors.Persistence.Wal;

/// <summary>A stored event, state or envelope could not be decoded. The stored data is left untouched.</summary>
[GenerateSerializer]
public sealed class EventDecodingException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="typeName">The stored type name, or the state type's name.</param>
    /// <param name="streamId">The stream holding the record.</param>
    /// <param name="version">The record's version.</param>
    /// <param name="detail">What went wrong.</param>
    /// <param name="innerException">The serializer's error, if any.</param>
    public EventDecodingException(string typeName, string streamId, long version, string detail, Exception? innerException = null)
        : base($"Cannot decode '{typeName}' in stream '{streamId}' at version {version}: {detail} The stored data was not modified.", innerException)
    {
        TypeName = typeName;
        StreamId = streamId;
        Version = version;
    }

    /// <summary>The stored type name, or the state type's name.</summary>
    [Id(0)]
    public string TypeName { get; }

    /// <summary>The stream holding the record.</summary>
    [Id(1)]
    public string StreamId { get; }

    /// <summary>The record's version.</summary>
    [Id(2)]
    public long Version { get; }
}
