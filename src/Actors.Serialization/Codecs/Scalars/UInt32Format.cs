using Actors.Serialization.Wire;

namespace Actors.Serialization.Codecs;

/// <summary><see cref="uint"/> as a VarInt.</summary>
public struct UInt32Format : IScalarFormat<uint>
{
    /// <inheritdoc />
    public static WireType WireType => WireType.VarInt;

    /// <inheritdoc />
    public static void WritePayload(ref Writer writer, uint value) => writer.WriteVarUInt64(value);

    /// <inheritdoc />
    public static uint ReadPayload(ref Reader reader, Field field) => (uint)Integers.ReadUnsigned(ref reader, field, uint.MaxValue, typeof(uint));
}
