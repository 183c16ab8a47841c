using Actors.Serialization;

namespace Actors.Persistence.Wal;

/// <summary>
/// The codec a write-ahead-log store uses when none is chosen: events named by <see cref="EventTypeAttribute"/> are
/// JSON (<see cref="JsonWalCodec"/>, the format existing logs hold), and an event type marked only
/// <see cref="GenerateSerializerAttribute"/> (Orleans code: <c>[GenerateSerializer]</c>, <c>[Id]</c>, <c>[Alias]</c>)
/// is written with the binary serializer (<see cref="BinaryWalCodec"/>), so it needs no other attribute. A state
/// (checkpoint or persistent state) is binary when its declared type is <c>[GenerateSerializer]</c> (its <c>[Id]</c>
/// members may be private fields, which JSON would not see), else JSON.
/// </summary>
/// <remarks>
/// <para>
/// Every binary payload starts with the serializer's format byte (<see cref="BinaryWalCodec.FormatByte"/>, never the
/// first byte of JSON text), so a reader tells the two formats apart per record: a log holds both, and records written
/// before stay JSON and decode as before. Nothing falls back from one format to the other: an event type with neither
/// attribute is refused (<see cref="EventEncodingException"/> naming both ways to fix it).
/// </para>
/// <para>Thread-safe.</para>
/// </remarks>
public sealed class DefaultWalCodec : IWalCodec
{
    private readonly JsonWalCodec _json;
    private readonly BinaryWalCodec _binary;

    /// <summary>Creates the codec.</summary>
    /// <param name="serializer">The binary serializer (the silo's, so grain references in events resolve).</param>
    /// <param name="json">The JSON codec; default one with default options.</param>
    public DefaultWalCodec(Serializer serializer, JsonWalCodec? json = null)
    {
        ArgumentNullException.ThrowIfNull(serializer);
        _json = json ?? new JsonWalCodec();
        _binary = new BinaryWalCodec(serializer, _json);
    }

    /// <inheritdoc />
    public EncodedEvent EncodeEvent(object @event)
    {
        ArgumentNullException.ThrowIfNull(@event);
        Type type = @event.GetType();
        return EventTypeNames.GetName(type) is null && IsGenerated(type) ? _binary.EncodeEvent(@event) : _json.EncodeEvent(@event);
    }

    /// <inheritdoc />
    public object DecodeEvent(string typeName, ReadOnlyMemory<byte> payload, Type declaredType, CodecContext context) =>
        _binary.DecodeEvent(typeName, payload, declaredType, context); // binary by its format byte, else JSON

    /// <inheritdoc />
    public ReadOnlyMemory<byte> EncodeState(object? state, Type stateType)
    {
        ArgumentNullException.ThrowIfNull(stateType);
        return IsGenerated(stateType) ? _binary.EncodeState(state, stateType) : _json.EncodeState(state, stateType);
    }

    /// <inheritdoc />
    public object? DecodeState(ReadOnlyMemory<byte> payload, Type stateType, CodecContext context) =>
        _binary.DecodeState(payload, stateType, context);

    private static bool IsGenerated(Type type) => type.IsDefined(typeof(GenerateSerializerAttribute), inherit: false);
}
