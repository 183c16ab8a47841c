using Actors.Serialization.Wire;

namespace Actors.Serialization.Codecs;

/// <summary><see cref="ushort"/> as a VarInt.</summary>
public struct UInt16Format : IScalarFormat<ushort>
{
    /// <inheritdoc />
    public static WireType WireType => WireType.VarInt;

    /// <inheritdoc />
    public static void WritePayload(ref Writer writer, ushort value) => writer.WriteVarUInt64(value);

    /// <inheritdoc />
    public static ushort ReadPayload(ref Reader reader, Field field) => (ushort)Integers.ReadUnsigned(ref reader, field, ushort.MaxValue, typeof(ushort));
}
