using Actors.Serialization.Wire;

namespace Actors.Serialization.Codecs;

/// <summary><see cref="T:byte[]"/> as LengthPrefixed bytes.</summary>
public struct ByteArrayFormat : IScalarFormat<byte[]>
{
    /// <inheritdoc />
    public static WireType WireType => WireType.LengthPrefixed;

    /// <inheritdoc />
    public static void WritePayload(ref Writer writer, byte[] value) => writer.WriteLengthPrefixed(value);

    /// <inheritdoc />
    public static byte[] ReadPayload(ref Reader reader, Field field) => field.WireType == WireType.LengthPrefixed
        ? reader.ReadLengthPrefixed().ToArray()
        : throw reader.WireTypeMismatch(field, typeof(byte[]));
}
