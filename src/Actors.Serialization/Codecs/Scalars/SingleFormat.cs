using Actors.Serialization.Wire;

namespace Actors.Serialization.Codecs;

/// <summary><see cref="float"/> as IEEE 754 binary32 in a Fixed32; a Fixed64 double is accepted when it converts exactly.</summary>
public struct SingleFormat : IScalarFormat<float>
{
    /// <inheritdoc />
    public static WireType WireType => WireType.Fixed32;

    /// <inheritdoc />
    public static void WritePayload(ref Writer writer, float value) => writer.WriteUInt32(BitConverter.SingleToUInt32Bits(value));

    /// <inheritdoc />
    public static float ReadPayload(ref Reader reader, Field field)
    {
        switch (field.WireType)
        {
            case WireType.Fixed32:
                return BitConverter.UInt32BitsToSingle(reader.ReadUInt32());
            case WireType.Fixed64:
                double wide = BitConverter.UInt64BitsToDouble(reader.ReadUInt64());
                float narrow = (float)wide;
                if (narrow.Equals((float)wide) && ((double)narrow).Equals(wide))
                {
                    return narrow;
                }

                throw reader.Error($"the double {wide} cannot be represented exactly as a float (the member's type is narrower than the writer's)");
            default:
                throw reader.WireTypeMismatch(field, typeof(float));
        }
    }
}
