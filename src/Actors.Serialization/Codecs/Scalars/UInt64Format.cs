using Actors.Serialization.Wire;

namespace Actors.Serialization.Codecs;

/// <summary><see cref="ulong"/> as a VarInt.</summary>
public struct UInt64Format : IScalarFormat<ulong>
{
    /// <inheritdoc />
    public static WireType WireType => WireType.VarInt;

    /// <inheritdoc />
    public static void WritePayload(ref Writer writer, ulong value) => writer.WriteVarUInt64(value);

    /// <inheritdoc />
    public static ulong ReadPayload(ref Reader reader, Field field) => (ulong)Integers.ReadUnsigned(ref reader, field, ulong.MaxValue, typeof(ulong));
}
