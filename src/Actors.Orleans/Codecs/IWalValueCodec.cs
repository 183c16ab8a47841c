namespace Actors.Orleans.Codecs;

/// <summary>Turns grain states and events into bytes and back for one <see cref="WalCodec"/>.</summary>
/// <remarks>
/// Implementations are thread-safe (one instance serves every grain of a silo) and may throw any exception: the
/// providers wrap it into <see cref="ValueSerializationException"/> or <see cref="ValueDeserializationException"/>
/// naming the grain, the state, the stream, the version and the type, and store or default nothing.
/// </remarks>
public interface IWalValueCodec
{
    /// <summary>The codec's id, written into every record it encodes.</summary>
    WalCodec Id { get; }

    /// <summary>Encodes <paramref name="value"/>, declared as <typeparamref name="T"/>.</summary>
    /// <param name="value">The value (its runtime type may derive from <typeparamref name="T"/>).</param>
    /// <param name="typeName">The runtime type's name to store beside the bytes, or "" when the bytes carry it.</param>
    byte[] Encode<T>(T value, out string typeName);

    /// <summary>Decodes bytes this codec wrote for a value declared as <typeparamref name="T"/>.</summary>
    /// <param name="payload">The stored bytes.</param>
    /// <param name="typeName">The stored type name ("" when the bytes carry the type).</param>
    T Decode<T>(ReadOnlyMemory<byte> payload, string typeName);
}
