using Actors.Serialization.Wire;

namespace Actors.Serialization.Codecs;

/// <summary><see cref="nint"/> as a zigzag SignedVarInt.</summary>
public struct IntPtrFormat : IScalarFormat<nint>
{
    /// <inheritdoc />
    public static WireType WireType => WireType.SignedVarInt;

    /// <inheritdoc />
    public static void WritePayload(ref Writer writer, nint value) => writer.WriteVarInt64(value);

    /// <inheritdoc />
    public static nint ReadPayload(ref Reader reader, Field field) => (nint)Integers.ReadSigned(ref reader, field, nint.MinValue, nint.MaxValue, typeof(nint));
}
