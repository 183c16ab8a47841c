using Actors.Serialization.Wire;

namespace Actors.Serialization.Codecs;

/// <summary><see cref="double"/> as IEEE 754 binary64 in a Fixed64; a Fixed32 float is widened.</summary>
public struct DoubleFormat : IScalarFormat<double>
{
    /// <inheritdoc />
    public static WireType WireType => WireType.Fixed64;

    /// <inheritdoc />
    public static void WritePayload(ref Writer writer, double value) => writer.WriteUInt64(BitConverter.DoubleToUInt64Bits(value));

    /// <inheritdoc />
    public static double ReadPayload(ref Reader reader, Field field) => field.WireType switch
    {
        WireType.Fixed64 => BitConverter.UInt64BitsToDouble(reader.ReadUInt64()),
        WireType.Fixed32 => BitConverter.UInt32BitsToSingle(reader.ReadUInt32()),
        _ => throw reader.WireTypeMismatch(field, typeof(double)),
    };
}
