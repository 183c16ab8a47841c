using Actors.Serialization.Wire;

namespace Actors.Serialization.Codecs;

/// <summary><see cref="Guid"/> as 16 LengthPrefixed bytes in the order of <see cref="Guid.TryWriteBytes(Span{byte})"/>.</summary>
public struct GuidFormat : IScalarFormat<Guid>
{
    /// <inheritdoc />
    public static WireType WireType => WireType.LengthPrefixed;

    /// <inheritdoc />
    public static void WritePayload(ref Writer writer, Guid value)
    {
        Span<byte> bytes = writer.GetSpan(17);
        bytes[0] = 16;
        value.TryWriteBytes(bytes[1..]);
        writer.Advance(17);
    }

    /// <inheritdoc />
    public static Guid ReadPayload(ref Reader reader, Field field) => new(Integers.ReadFixedLength(ref reader, field, 16, typeof(Guid)));
}
