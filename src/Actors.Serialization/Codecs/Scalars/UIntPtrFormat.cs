using Actors.Serialization.Wire;

namespace Actors.Serialization.Codecs;

/// <summary><see cref="nuint"/> as a VarInt.</summary>
public struct UIntPtrFormat : IScalarFormat<nuint>
{
    /// <inheritdoc />
    public static WireType WireType => WireType.VarInt;

    /// <inheritdoc />
    public static void WritePayload(ref Writer writer, nuint value) => writer.WriteVarUInt64(value);

    /// <inheritdoc />
    public static nuint ReadPayload(ref Reader reader, Field field) => (nuint)Integers.ReadUnsigned(ref reader, field, nuint.MaxValue, typeof(nuint));
}
