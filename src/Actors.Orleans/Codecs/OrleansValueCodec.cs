using Orleans.Serialization;

namespace Actors.Orleans.Codecs;

/// <summary>
/// Orleans's serializer (<c>[GenerateSerializer]</c>, <c>[Id]</c>): the bytes carry the runtime type when it differs from
/// the declared one, and fields added or removed later are tolerated as Orleans's serializer tolerates them.
/// </summary>
public sealed class OrleansValueCodec : IWalValueCodec
{
    private readonly Serializer _serializer;

    /// <summary>Creates the codec over the silo's serializer.</summary>
    public OrleansValueCodec(Serializer serializer)
    {
        ArgumentNullException.ThrowIfNull(serializer);
        _serializer = serializer;
    }

    /// <inheritdoc />
    public WalCodec Id => WalCodec.Orleans;

    /// <inheritdoc />
    public byte[] Encode<T>(T value, out string typeName)
    {
        typeName = "";
        return _serializer.SerializeToArray(value);
    }

    /// <summary>Serializes <paramref name="value"/> into <paramref name="destination"/> (the bytes <see cref="Encode{T}"/> returns, no array of their own).</summary>
    internal void EncodeInto<T>(T value, System.Buffers.ArrayBufferWriter<byte> destination) => _serializer.Serialize(value, destination);

    /// <inheritdoc />
    public T Decode<T>(ReadOnlyMemory<byte> payload, string typeName) => _serializer.Deserialize<T>(payload)!;
}
