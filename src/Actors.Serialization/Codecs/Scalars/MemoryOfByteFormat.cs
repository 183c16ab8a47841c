using Actors.Serialization.Wire;

namespace Actors.Serialization.Codecs;

/// <summary><see cref="Memory{T}"/> of bytes as LengthPrefixed bytes (read into a new array).</summary>
public struct MemoryOfByteFormat : IScalarFormat<Memory<byte>>
{
    /// <inheritdoc />
    public static WireType WireType => WireType.LengthPrefixed;

    /// <inheritdoc />
    public static void WritePayload(ref Writer writer, Memory<byte> value) => writer.WriteLengthPrefixed(value.Span);

    /// <inheritdoc />
    public static Memory<byte> ReadPayload(ref Reader reader, Field field) => ByteArrayFormat.ReadPayload(ref reader, field);
}
