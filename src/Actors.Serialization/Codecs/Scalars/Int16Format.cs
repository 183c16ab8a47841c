using Actors.Serialization.Wire;

namespace Actors.Serialization.Codecs;

/// <summary><see cref="short"/> as a zigzag SignedVarInt.</summary>
public struct Int16Format : IScalarFormat<short>
{
    /// <inheritdoc />
    public static WireType WireType => WireType.SignedVarInt;

    /// <inheritdoc />
    public static void WritePayload(ref Writer writer, short value) => writer.WriteVarInt64(value);

    /// <inheritdoc />
    public static short ReadPayload(ref Reader reader, Field field) => (short)Integers.ReadSigned(ref reader, field, short.MinValue, short.MaxValue, typeof(short));
}
