namespace Actors.Orleans;

/// <summary>
/// A stored state or event could not be read back (an unknown or changed type, bytes the codec refuses, a record not
/// written by these providers). The grain does not activate with a default state instead, and nothing stored is changed.
/// </summary>
public sealed class ValueDeserializationException : WriteAheadLogProviderException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="what">What was being read: the grain and its state or events.</param>
    /// <param name="streamId">The log stream.</param>
    /// <param name="version">The stream version of the record (for a checkpoint: the version it covers).</param>
    /// <param name="typeName">The stored type name, or the type expected when the record names none.</param>
    /// <param name="codec">The codec the record names.</param>
    /// <param name="reason">Why it could not be read.</param>
    /// <param name="innerException">The codec's error, if any.</param>
    public ValueDeserializationException(string what, string streamId, long version, string typeName, WalCodec codec, string reason, Exception? innerException)
        : base($"Cannot read {what}: stream '{streamId}' version {version}, type '{typeName}', codec {codec}: {reason}. The stored data was not changed.", innerException)
    {
        ExceptionFacts.Set(this, nameof(StreamId), streamId);
        ExceptionFacts.Set(this, nameof(Version), version);
        ExceptionFacts.Set(this, nameof(TypeName), typeName);
        ExceptionFacts.Set(this, nameof(Codec), codec.ToString());
    }

    /// <summary>The log stream.</summary>
    public string StreamId => ExceptionFacts.String(this, nameof(StreamId));

    /// <summary>The stream version of the record.</summary>
    public long Version => ExceptionFacts.Int64(this, nameof(Version));

    /// <summary>The stored (or expected) type name.</summary>
    public string TypeName => ExceptionFacts.String(this, nameof(TypeName));

    /// <summary>The codec the record names.</summary>
    public WalCodec Codec => Enum.TryParse(ExceptionFacts.String(this, nameof(Codec)), out WalCodec codec) ? codec : default;
}
