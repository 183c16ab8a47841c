using Actors.Serialization.Wire;

namespace Actors.Serialization.Codecs;

/// <summary><see cref="bool"/> as a VarInt 0 or 1.</summary>
public struct BooleanFormat : IScalarFormat<bool>
{
    /// <inheritdoc />
    public static WireType WireType => WireType.VarInt;

    /// <inheritdoc />
    public static void WritePayload(ref Writer writer, bool value) => writer.WriteByte(value ? (byte)1 : (byte)0);

    /// <inheritdoc />
    public static bool ReadPayload(ref Reader reader, Field field) => Integers.ReadUnsigned(ref reader, field, 1, typeof(bool)) == 1;
}
