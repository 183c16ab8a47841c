using System.Numerics;
using Actors.Serialization.Wire;

namespace Actors.Serialization.Codecs;

/// <summary><see cref="BigInteger"/> as LengthPrefixed two's complement little-endian bytes (the minimal length).</summary>
public struct BigIntegerFormat : IScalarFormat<BigInteger>
{
    /// <inheritdoc />
    public static WireType WireType => WireType.LengthPrefixed;

    /// <inheritdoc />
    public static void WritePayload(ref Writer writer, BigInteger value)
    {
        int length = value.GetByteCount();
        writer.WriteVarUInt32((uint)length);
        value.TryWriteBytes(writer.GetSpan(length), out int written);
        writer.Advance(written);
    }

    /// <inheritdoc />
    public static BigInteger ReadPayload(ref Reader reader, Field field) => field.WireType == WireType.LengthPrefixed
        ? new BigInteger(reader.ReadLengthPrefixed())
        : throw reader.WireTypeMismatch(field, typeof(BigInteger));
}
