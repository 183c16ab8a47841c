using Actors.Serialization.Wire;

namespace Actors.Serialization.Codecs;

/// <summary><see cref="int"/> as a zigzag SignedVarInt.</summary>
public struct Int32Format : IScalarFormat<int>
{
    /// <inheritdoc />
    public static WireType WireType => WireType.SignedVarInt;

    /// <inheritdoc />
    public static void WritePayload(ref Writer writer, int value) => writer.WriteVarInt64(value);

    /// <inheritdoc />
    public static int ReadPayload(ref Reader reader, Field field) => (int)Integers.ReadSigned(ref reader, field, int.MinValue, int.MaxValue, typeof(int));
}
