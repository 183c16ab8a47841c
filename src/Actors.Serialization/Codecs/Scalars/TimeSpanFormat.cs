using Actors.Serialization.Wire;

namespace Actors.Serialization.Codecs;

/// <summary><see cref="TimeSpan"/> as its ticks in a SignedVarInt.</summary>
public struct TimeSpanFormat : IScalarFormat<TimeSpan>
{
    /// <inheritdoc />
    public static WireType WireType => WireType.SignedVarInt;

    /// <inheritdoc />
    public static void WritePayload(ref Writer writer, TimeSpan value) => writer.WriteVarInt64(value.Ticks);

    /// <inheritdoc />
    public static TimeSpan ReadPayload(ref Reader reader, Field field) => new TimeSpan(Integers.ReadSigned(ref reader, field, long.MinValue, long.MaxValue, typeof(TimeSpan)));
}
