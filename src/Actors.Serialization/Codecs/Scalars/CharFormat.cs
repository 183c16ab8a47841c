using Actors.Serialization.Wire;

namespace Actors.Serialization.Codecs;

/// <summary><see cref="char"/> (a UTF-16 code unit) as a VarInt.</summary>
public struct CharFormat : IScalarFormat<char>
{
    /// <inheritdoc />
    public static WireType WireType => WireType.VarInt;

    /// <inheritdoc />
    public static void WritePayload(ref Writer writer, char value) => writer.WriteVarUInt32(value);

    /// <inheritdoc />
    public static char ReadPayload(ref Reader reader, Field field) => (char)Integers.ReadUnsigned(ref reader, field, char.MaxValue, typeof(char));
}
