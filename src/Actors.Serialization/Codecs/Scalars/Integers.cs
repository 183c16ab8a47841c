using Actors.Serialization.Wire;

namespace Actors.Serialization.Codecs;

/// <summary>Reads integers written as VarInt or SignedVarInt into a target range: a value out of range is an error, never truncated.</summary>
internal static class Integers
{
    public static long ReadSigned(ref Reader reader, Field field, long min, long max, Type target)
    {
        long value;
        switch (field.WireType)
        {
            case WireType.SignedVarInt:
                value = reader.ReadVarInt64();
                break;
            case WireType.VarInt:
                ulong unsigned = reader.ReadVarUInt64();
                if (unsigned > long.MaxValue)
                {
                    throw OutOfRange(ref reader, unsigned.ToString(System.Globalization.CultureInfo.InvariantCulture), target);
                }

                value = (long)unsigned;
                break;
            default:
                throw reader.WireTypeMismatch(field, target);
        }

        if (value < min || value > max)
        {
            throw OutOfRange(ref reader, value.ToString(System.Globalization.CultureInfo.InvariantCulture), target);
        }

        return value;
    }

    public static ulong ReadUnsigned(ref Reader reader, Field field, ulong max, Type target)
    {
        ulong value;
        switch (field.WireType)
        {
            case WireType.VarInt:
                value = reader.ReadVarUInt64();
                break;
            case WireType.SignedVarInt:
                long signed = reader.ReadVarInt64();
                if (signed < 0)
                {
                    throw OutOfRange(ref reader, signed.ToString(System.Globalization.CultureInfo.InvariantCulture), target);
                }

                value = (ulong)signed;
                break;
            default:
                throw reader.WireTypeMismatch(field, target);
        }

        if (value > max)
        {
            throw OutOfRange(ref reader, value.ToString(System.Globalization.CultureInfo.InvariantCulture), target);
        }

        return value;
    }

    public static ReadOnlySpan<byte> ReadFixedLength(ref Reader reader, Field field, int length, Type target)
    {
        if (field.WireType != WireType.LengthPrefixed)
        {
            throw reader.WireTypeMismatch(field, target);
        }

        ReadOnlySpan<byte> bytes = reader.ReadLengthPrefixed();
        if (bytes.Length != length)
        {
            throw reader.Error($"a '{TypeNames.Display(target)}' takes {length} bytes, the data has {bytes.Length}");
        }

        return bytes;
    }

    private static WireFormatException OutOfRange(ref Reader reader, string value, Type target) =>
        reader.Error($"value {value} is out of the range of '{TypeNames.Display(target)}' (the member's type is narrower than the writer's)");
}
