using System.Reflection;
using Actors.Serialization;

namespace Actors.Persistence.Wal;

/// <summary>
/// An <see cref="IWalCodec"/> on the binary serializer (docs/serialization.md): an event or state is one serializer
/// message (format byte 0x01 first), so any <c>[GenerateSerializer]</c> type can be stored with no other attribute,
/// with the serializer's version tolerance (members added or removed by id). An event is written in an
/// <see cref="object"/> slot, so its payload names its runtime type (its <see cref="AliasAttribute"/> alias, else its
/// full name); the record's type name is its <see cref="EventTypeAttribute"/> name when it has one, else that same
/// alias or full name.
/// </summary>
/// <remarks>
/// <para>
/// Data written by <see cref="JsonWalCodec"/> keeps loading: a payload that does not start with the format byte is JSON
/// (JSON text never starts with 0x01) and is decoded by the JSON codec given to the constructor (its event types and
/// upcasters apply). A store can therefore switch from JSON to binary without rewriting its log; new records are binary.
/// </para>
/// <para>Typed upcasters of the JSON codec's options are not applied to binary events: the serializer's version
/// tolerance (new members by id, <see cref="AliasAttribute"/> for renamed types) replaces them.</para>
/// <para>Thread-safe.</para>
/// </remarks>
public sealed class BinaryWalCodec : IWalCodec
{
    /// <summary>The first byte of every binary payload (the serializer's format version).</summary>
    public const byte FormatByte = 0x01;

    private readonly Serializer _serializer;
    private readonly IWalCodec _json;

    /// <summary>Creates the codec.</summary>
    /// <param name="serializer">The serializer (the silo's, so grain references in events resolve).</param>
    /// <param name="json">Decodes payloads written as JSON before the store switched; default a <see cref="JsonWalCodec"/> with default options.</param>
    public BinaryWalCodec(Serializer serializer, IWalCodec? json = null)
    {
        ArgumentNullException.ThrowIfNull(serializer);
        _serializer = serializer;
        _json = json ?? new JsonWalCodec();
    }

    /// <inheritdoc />
    public EncodedEvent EncodeEvent(object @event)
    {
        ArgumentNullException.ThrowIfNull(@event);
        Type type = @event.GetType();
        string name = EventTypeNames.GetName(type) ?? type.GetCustomAttribute<AliasAttribute>(inherit: false)?.Alias ?? type.FullName ?? type.Name;
        if (EventTypeNames.Validate(name) is { } problem)
        {
            throw new EventEncodingException(type, $"Its event type name is invalid: {problem}");
        }

        return new EncodedEvent(name, Serialize<object>(@event, type));
    }

    /// <inheritdoc />
    public object DecodeEvent(string typeName, ReadOnlyMemory<byte> payload, Type declaredType, CodecContext context)
    {
        ArgumentNullException.ThrowIfNull(typeName);
        ArgumentNullException.ThrowIfNull(declaredType);
        if (!IsBinary(payload))
        {
            return _json.DecodeEvent(typeName, payload, declaredType, context);
        }

        object? value;
        try
        {
            value = _serializer.Deserialize<object>(payload.Span);
        }
        catch (UnknownTypeException ex) when (!string.IsNullOrEmpty(ex.TypeName))
        {
            throw new UnknownEventTypeException(ex.TypeName, context.StreamId, context.Version);
        }
        catch (SerializerException ex)
        {
            throw new EventDecodingException(typeName, context.StreamId, context.Version, $"The payload is not a valid event: {ex.Message}", ex);
        }

        return declaredType.IsInstanceOfType(value)
            ? value
            : throw new EventDecodingException(typeName, context.StreamId, context.Version,
                $"It is a '{value?.GetType().FullName ?? "null"}', which is not a '{declaredType.FullName}' (the grain's event type).");
    }

    /// <inheritdoc />
    public ReadOnlyMemory<byte> EncodeState(object? state, Type stateType)
    {
        ArgumentNullException.ThrowIfNull(stateType);
        return Serialize(state, stateType);
    }

    /// <inheritdoc />
    public object? DecodeState(ReadOnlyMemory<byte> payload, Type stateType, CodecContext context)
    {
        ArgumentNullException.ThrowIfNull(stateType);
        if (!IsBinary(payload))
        {
            return _json.DecodeState(payload, stateType, context);
        }

        try
        {
            return _serializer.Deserialize(payload.Span, stateType);
        }
        catch (SerializerException ex)
        {
            throw new EventDecodingException(stateType.Name, context.StreamId, context.Version, ex.Message, ex);
        }
    }

    private static bool IsBinary(ReadOnlyMemory<byte> payload) => !payload.IsEmpty && payload.Span[0] == FormatByte;

    private byte[] Serialize<T>(T value, Type reported) => Serialize(value, typeof(T), reported);

    private byte[] Serialize(object? value, Type declaredType, Type? reported = null)
    {
        try
        {
            return _serializer.SerializeToArray(value, declaredType);
        }
        catch (SerializerException ex)
        {
            // A failing getter arrives wrapped, with the member path; name the member as the JSON codec does.
            Exception cause = ex.InnerException ?? ex;
            throw new EventEncodingException(reported ?? declaredType, $"The binary serializer threw {cause.GetType().Name}: {ex.Message}", cause,
                EncodingFailures.FindMember(cause) ?? ex.MemberPath);
        }
        catch (Exception ex)
        {
            throw EncodingFailures.ToEncodingException(reported ?? declaredType, ex, "The binary serializer");
        }
    }
}
