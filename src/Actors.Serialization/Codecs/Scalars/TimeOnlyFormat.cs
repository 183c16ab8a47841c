using Actors.Serialization.Wire;

namespace Actors.Serialization.Codecs;

/// <summary><see cref="TimeOnly"/> as its ticks since midnight in a VarInt.</summary>
public struct TimeOnlyFormat : IScalarFormat<TimeOnly>
{
    /// <inheritdoc />
    public static WireType WireType => WireType.VarInt;

    /// <inheritdoc />
    public static void WritePayload(ref Writer writer, TimeOnly value) => writer.WriteVarUInt64((ulong)value.Ticks);

    /// <inheritdoc />
    public static TimeOnly ReadPayload(ref Reader reader, Field field) => new TimeOnly((long)Integers.ReadUnsigned(ref reader, field, (ulong)TimeOnly.MaxValue.Ticks, typeof(TimeOnly)));
}
