namespace Actors.Orleans;

/// <summary>
/// A state or event could not be serialized. This is a rejection: nothing was stored and nothing in memory changed (a
/// journaled grain's <c>RaiseEvent</c> throws it before the event is applied).
/// </summary>
public sealed class ValueSerializationException : WriteAheadLogProviderException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="what">What was being written: the grain and its state or events.</param>
    /// <param name="streamId">The log stream it was going to.</param>
    /// <param name="valueType">The value's type.</param>
    /// <param name="codec">The codec that failed.</param>
    /// <param name="innerException">The codec's error.</param>
    public ValueSerializationException(string what, string streamId, Type valueType, WalCodec codec, Exception innerException)
        : base($"Cannot serialize {what}: the {codec} codec failed on a value of type '{valueType.FullName}' for stream '{streamId}' ({innerException.GetType().Name}: {innerException.Message}). Nothing was stored.", innerException)
    {
        ExceptionFacts.Set(this, nameof(StreamId), streamId);
        ExceptionFacts.Set(this, nameof(ValueTypeName), valueType.FullName ?? valueType.Name);
        ExceptionFacts.Set(this, nameof(Codec), codec.ToString());
        ValueType = valueType;
    }

    /// <summary>The log stream the value was going to.</summary>
    public string StreamId => ExceptionFacts.String(this, nameof(StreamId));

    /// <summary>The value's type, where the exception was raised; null on a silo that received it from another (see <see cref="ValueTypeName"/>).</summary>
    public Type? ValueType { get; }

    /// <summary>The value's type's full name (also on a silo or client that received the exception).</summary>
    public string ValueTypeName => ExceptionFacts.String(this, nameof(ValueTypeName));

    /// <summary>The codec that failed.</summary>
    public WalCodec Codec => Enum.TryParse(ExceptionFacts.String(this, nameof(Codec)), out WalCodec codec) ? codec : default;
}
