using Actors.Serialization.Wire;

namespace Actors.Serialization.Codecs;

/// <summary>
/// <see cref="DateTime"/> as a Fixed64: bits 0..61 the ticks, bits 62..63 the <see cref="DateTimeKind"/>. A local time is
/// written as it reads on the writer's clock, with kind Local (as DateTime itself stores it).
/// </summary>
public struct DateTimeFormat : IScalarFormat<DateTime>
{
    private const ulong TicksMask = (1UL << 62) - 1;

    /// <inheritdoc />
    public static WireType WireType => WireType.Fixed64;

    /// <inheritdoc />
    public static void WritePayload(ref Writer writer, DateTime value) => writer.WriteUInt64((ulong)value.Ticks | ((ulong)value.Kind << 62));

    /// <inheritdoc />
    public static DateTime ReadPayload(ref Reader reader, Field field)
    {
        if (field.WireType != WireType.Fixed64)
        {
            throw reader.WireTypeMismatch(field, typeof(DateTime));
        }

        ulong raw = reader.ReadUInt64();
        ulong ticks = raw & TicksMask;
        var kind = (DateTimeKind)(raw >> 62);
        if (ticks > (ulong)DateTime.MaxValue.Ticks || kind > DateTimeKind.Local)
        {
            throw reader.Error($"0x{raw:X16} is not a valid DateTime (ticks {ticks}, kind {(int)kind})");
        }

        return new DateTime((long)ticks, kind);
    }
}
