using Actors.Serialization.Wire;

namespace Actors.Serialization.Codecs;

/// <summary><see cref="byte"/> as a VarInt.</summary>
public struct ByteFormat : IScalarFormat<byte>
{
    /// <inheritdoc />
    public static WireType WireType => WireType.VarInt;

    /// <inheritdoc />
    public static void WritePayload(ref Writer writer, byte value) => writer.WriteVarUInt64(value);

    /// <inheritdoc />
    public static byte ReadPayload(ref Reader reader, Field field) => (byte)Integers.ReadUnsigned(ref reader, field, byte.MaxValue, typeof(byte));
}
