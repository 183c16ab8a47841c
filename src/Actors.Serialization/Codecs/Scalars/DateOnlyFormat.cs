using Actors.Serialization.Wire;

namespace Actors.Serialization.Codecs;

/// <summary><see cref="DateOnly"/> as its day number (days since 0001-01-01) in a VarInt.</summary>
public struct DateOnlyFormat : IScalarFormat<DateOnly>
{
    /// <inheritdoc />
    public static WireType WireType => WireType.VarInt;

    /// <inheritdoc />
    public static void WritePayload(ref Writer writer, DateOnly value) => writer.WriteVarUInt32((uint)value.DayNumber);

    /// <inheritdoc />
    public static DateOnly ReadPayload(ref Reader reader, Field field) => DateOnly.FromDayNumber((int)Integers.ReadUnsigned(ref reader, field, (ulong)DateOnly.MaxValue.DayNumber, typeof(DateOnly)));
}
