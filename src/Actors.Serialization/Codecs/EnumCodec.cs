using System.Runtime.CompilerServices;
using Actors.Serialization.Cloning;
using Actors.Serialization.Wire;

namespace Actors.Serialization.Codecs;

/// <summary>
/// The codec of an enum: its numeric value as a SignedVarInt (signed underlying type) or VarInt (unsigned). Values not
/// named by the reader's enum are kept as numbers (an enum can hold any value of its underlying type).
/// </summary>
public sealed class EnumCodec<TEnum> : IFieldCodec<TEnum>
    where TEnum : struct, Enum
{
    private static readonly Type Underlying = Enum.GetUnderlyingType(typeof(TEnum));
    private static readonly bool Signed = Underlying == typeof(sbyte) || Underlying == typeof(short) || Underlying == typeof(int) || Underlying == typeof(long);

    /// <summary>The shared instance.</summary>
    public static readonly EnumCodec<TEnum> Instance = new();

    /// <summary>Writes a value of the expected type.</summary>
    public static void WriteField(ref Writer writer, uint fieldIdDelta, TEnum value) =>
        Instance.WriteField(ref writer, fieldIdDelta, typeof(TEnum), value);

    /// <summary>Reads a value whose header is <paramref name="field"/>.</summary>
    public static TEnum ReadValue(ref Reader reader, Field field)
    {
        if (field.IsNull)
        {
            throw reader.Error($"null where a non-nullable '{TypeNames.Display(typeof(TEnum))}' was expected");
        }

        if (Signed)
        {
            (long min, long max) = Unsafe.SizeOf<TEnum>() switch { 1 => (sbyte.MinValue, sbyte.MaxValue), 2 => (short.MinValue, short.MaxValue), 4 => (int.MinValue, int.MaxValue), _ => (long.MinValue, long.MaxValue) };
            long signed = Integers.ReadSigned(ref reader, field, min, max, typeof(TEnum));
            return FromBits((ulong)signed);
        }

        ulong maxUnsigned = Unsafe.SizeOf<TEnum>() switch { 1 => byte.MaxValue, 2 => ushort.MaxValue, 4 => uint.MaxValue, _ => ulong.MaxValue };
        return FromBits(Integers.ReadUnsigned(ref reader, field, maxUnsigned, typeof(TEnum)));
    }

    /// <inheritdoc />
    public void WriteField(ref Writer writer, uint fieldIdDelta, Type expectedType, TEnum value)
    {
        if (Signed)
        {
            writer.WriteFieldHeader(fieldIdDelta, expectedType, typeof(TEnum), WireType.SignedVarInt);
            writer.WriteVarInt64(ToSigned(value));
        }
        else
        {
            writer.WriteFieldHeader(fieldIdDelta, expectedType, typeof(TEnum), WireType.VarInt);
            writer.WriteVarUInt64(ToUnsigned(value));
        }
    }

    TEnum IFieldCodec<TEnum>.ReadValue(ref Reader reader, Field field) => ReadValue(ref reader, field);

    private static long ToSigned(TEnum value) => Unsafe.SizeOf<TEnum>() switch
    {
        1 => Unsafe.As<TEnum, sbyte>(ref value),
        2 => Unsafe.As<TEnum, short>(ref value),
        4 => Unsafe.As<TEnum, int>(ref value),
        _ => Unsafe.As<TEnum, long>(ref value),
    };

    private static ulong ToUnsigned(TEnum value) => Unsafe.SizeOf<TEnum>() switch
    {
        1 => Unsafe.As<TEnum, byte>(ref value),
        2 => Unsafe.As<TEnum, ushort>(ref value),
        4 => Unsafe.As<TEnum, uint>(ref value),
        _ => Unsafe.As<TEnum, ulong>(ref value),
    };

    private static TEnum FromBits(ulong bits)
    {
        TEnum result = default;
        switch (Unsafe.SizeOf<TEnum>())
        {
            case 1:
                Unsafe.As<TEnum, byte>(ref result) = (byte)bits;
                break;
            case 2:
                Unsafe.As<TEnum, ushort>(ref result) = (ushort)bits;
                break;
            case 4:
                Unsafe.As<TEnum, uint>(ref result) = (uint)bits;
                break;
            default:
                Unsafe.As<TEnum, ulong>(ref result) = bits;
                break;
        }

        return result;
    }
}
