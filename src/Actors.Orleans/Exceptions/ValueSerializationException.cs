using Orleans;

namespace Actors.Orleans;

/// <summary>
/// A state or event could not be serialized. This is a rejection: nothing was stored and nothing in memory changed (a
/// journaled grain's <c>RaiseEvent</c> throws it before the event is applied).
/// </summary>
[GenerateSerializer]
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
        StreamId = streamId;
        ValueType = valueType;
        Codec = codec;
    }

    /// <summary>The log stream the value was going to.</summary>
    [Id(0)]
    public string StreamId { get; private set; }

    /// <summary>The value's type.</summary>
    [Id(1)]
    public Type ValueType { get; private set; }

    /// <summary>The codec that failed.</summary>
    [Id(2)]
    public WalCodec Codec { get; private set; }
}
