using Actors.Serialization.Wire;

namespace Actors.Serialization.Codecs;

/// <summary><see cref="sbyte"/> as a zigzag SignedVarInt.</summary>
public struct SByteFormat : IScalarFormat<sbyte>
{
    /// <inheritdoc />
    public static WireType WireType => WireType.SignedVarInt;

    /// <inheritdoc />
    public static void WritePayload(ref Writer writer, sbyte value) => writer.WriteVarInt64(value);

    /// <inheritdoc />
    public static sbyte ReadPayload(ref Reader reader, Field field) => (sbyte)Integers.ReadSigned(ref reader, field, sbyte.MinValue, sbyte.MaxValue, typeof(sbyte));
}
