using System.Buffers.Binary;
using Actors.Serialization.Wire;

namespace Actors.Serialization.Codecs;

/// <summary><see cref="DateTimeOffset"/> as 10 LengthPrefixed bytes: the local ticks (i64) and the offset in minutes (i16), little-endian.</summary>
public struct DateTimeOffsetFormat : IScalarFormat<DateTimeOffset>
{
    /// <inheritdoc />
    public static WireType WireType => WireType.LengthPrefixed;

    /// <inheritdoc />
    public static void WritePayload(ref Writer writer, DateTimeOffset value)
    {
        Span<byte> bytes = writer.GetSpan(11);
        bytes[0] = 10;
        BinaryPrimitives.WriteInt64LittleEndian(bytes[1..], value.Ticks);
        BinaryPrimitives.WriteInt16LittleEndian(bytes[9..], (short)value.TotalOffsetMinutes);
        writer.Advance(11);
    }

    /// <inheritdoc />
    public static DateTimeOffset ReadPayload(ref Reader reader, Field field)
    {
        ReadOnlySpan<byte> bytes = Integers.ReadFixedLength(ref reader, field, 10, typeof(DateTimeOffset));
        long ticks = BinaryPrimitives.ReadInt64LittleEndian(bytes);
        short minutes = BinaryPrimitives.ReadInt16LittleEndian(bytes[8..]);
        try
        {
            return new DateTimeOffset(ticks, TimeSpan.FromMinutes(minutes));
        }
        catch (ArgumentException)
        {
            throw reader.Error($"ticks {ticks} with offset {minutes} min is not a valid DateTimeOffset");
        }
    }
}
