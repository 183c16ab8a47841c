using MessagePack;
using Orleans.Serialization.TypeSystem;

namespace Actors.Orleans.Codecs;

/// <summary>
/// MessagePack with the provider's options (<see cref="MessagePackSerializerOptions.Standard"/> by default: types need
/// <c>[MessagePackObject]</c>, or options with a contractless resolver). The record stores the value's runtime type as
/// Orleans's <see cref="TypeConverter"/> formats it.
/// </summary>
public sealed class MessagePackValueCodec : IWalValueCodec
{
    private readonly MessagePackSerializerOptions _options;
    private readonly TypeConverter _types;

    /// <summary>Creates the codec.</summary>
    /// <param name="options">The serializer options (<see cref="MessagePackSerializerOptions.Standard"/> when null).</param>
    /// <param name="types">Orleans's type names.</param>
    public MessagePackValueCodec(MessagePackSerializerOptions? options, TypeConverter types)
    {
        ArgumentNullException.ThrowIfNull(types);
        _options = options ?? MessagePackSerializerOptions.Standard;
        _types = types;
    }

    /// <inheritdoc />
    public WalCodec Id => WalCodec.MessagePack;

    /// <inheritdoc />
    public byte[] Encode<T>(T value, out string typeName)
    {
        Type type = value?.GetType() ?? typeof(T);
        typeName = _types.Format(type);
        return MessagePackSerializer.Serialize(type, value, _options);
    }

    /// <inheritdoc />
    public T Decode<T>(ReadOnlyMemory<byte> payload, string typeName)
    {
        Type type = StoredTypes.Resolve<T>(_types, typeName);
        return (T)MessagePackSerializer.Deserialize(type, payload, _options)!;
    }
}
