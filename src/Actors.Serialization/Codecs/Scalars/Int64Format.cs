using Actors.Serialization.Wire;

namespace Actors.Serialization.Codecs;

/// <summary><see cref="long"/> as a zigzag SignedVarInt.</summary>
public struct Int64Format : IScalarFormat<long>
{
    /// <inheritdoc />
    public static WireType WireType => WireType.SignedVarInt;

    /// <inheritdoc />
    public static void WritePayload(ref Writer writer, long value) => writer.WriteVarInt64(value);

    /// <inheritdoc />
    public static long ReadPayload(ref Reader reader, Field field) => (long)Integers.ReadSigned(ref reader, field, long.MinValue, long.MaxValue, typeof(long));
}
