namespace Actors.Persistence.Wal;

/// <summary>
/// Turns grain events and states into bytes and back. One codec serves one write-ahead-log store; the default
/// is <see cref="JsonWalCodec"/>. Set <c>WriteAheadLogStoreOptions.Codec</c> to plug in another.
/// </summary>
/// <remarks>
/// <para>Implementations must be thread-safe: one instance serves every grain of the store.</para>
/// <para>
/// Errors: encoding failures throw <see cref="EventEncodingException"/> (a <em>rejection</em>: the caller's event
/// is not stored and the grain keeps running). The stores treat <em>any</em> exception thrown while encoding the same
/// way (a member getter throwing <see cref="NotImplementedException"/>, say), naming the member when the stack shows
/// it, so a codec never makes a store guess. Decoding an unknown type name throws
/// <see cref="UnknownEventTypeException"/>; any other decoding failure throws <see cref="EventDecodingException"/>;
/// both fail the grain's activation and never cause stored data to be modified.
/// </para>
/// </remarks>
public interface IWalCodec
{
    /// <summary>Encodes an event under its stable type name.</summary>
    /// <param name="event">The event; its runtime type must have a stable name.</param>
    /// <exception cref="EventEncodingException">The type has no stable name, or the event cannot be serialized.</exception>
    EncodedEvent EncodeEvent(object @event);

    /// <summary>Decodes an event stored under <paramref name="typeName"/>, applying registered upcasters first.</summary>
    /// <param name="typeName">The stored type name.</param>
    /// <param name="payload">The stored payload.</param>
    /// <param name="declaredType">The type the grain expects (its event base type); the result is assignable to it.</param>
    /// <param name="context">Where the record was stored, for error messages.</param>
    /// <exception cref="UnknownEventTypeException">No event type (and no upcaster) is registered under the name.</exception>
    /// <exception cref="EventDecodingException">The payload cannot be read as the named type, or the type is not assignable to <paramref name="declaredType"/>.</exception>
    object DecodeEvent(string typeName, ReadOnlyMemory<byte> payload, Type declaredType, CodecContext context);

    /// <summary>Encodes a grain state (a checkpoint or a persistent-state value) of type <paramref name="stateType"/>.</summary>
    /// <exception cref="EventEncodingException">The state cannot be serialized.</exception>
    ReadOnlyMemory<byte> EncodeState(object? state, Type stateType);

    /// <summary>Decodes a state written by <see cref="EncodeState"/> for the same <paramref name="stateType"/>.</summary>
    /// <exception cref="EventDecodingException">The bytes are not a valid value of the type.</exception>
    object? DecodeState(ReadOnlyMemory<byte> payload, Type stateType, CodecContext context);
}
