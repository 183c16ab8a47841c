using Actors.Serialization.Wire;

namespace Actors.Serialization.Codecs;

/// <summary><see cref="ReadOnlyMemory{T}"/> of bytes as LengthPrefixed bytes (read into a new array).</summary>
public struct ReadOnlyMemoryOfByteFormat : IScalarFormat<ReadOnlyMemory<byte>>
{
    /// <inheritdoc />
    public static WireType WireType => WireType.LengthPrefixed;

    /// <inheritdoc />
    public static void WritePayload(ref Writer writer, ReadOnlyMemory<byte> value) => writer.WriteLengthPrefixed(value.Span);

    /// <inheritdoc />
    public static ReadOnlyMemory<byte> ReadPayload(ref Reader reader, Field field) => ByteArrayFormat.ReadPayload(ref reader, field);
}
