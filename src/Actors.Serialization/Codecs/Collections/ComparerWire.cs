using Actors.Serialization.Wire;

namespace Actors.Serialization.Codecs;

/// <summary>Writes and reads a collection's comparer (field 1 of the collection layout; see CollectionWire.cs).</summary>
internal static class ComparerWire
{
    private static readonly object[] WellKnown =
    [
        StringComparer.Ordinal, StringComparer.OrdinalIgnoreCase, StringComparer.InvariantCulture, StringComparer.InvariantCultureIgnoreCase,
    ];

    /// <summary>Writes the comparer unless it is the default one; returns whether it wrote it.</summary>
    public static bool Write(ref Writer writer, uint fieldIdDelta, object? comparer, object defaultComparer)
    {
        if (comparer is null || ReferenceEquals(comparer, defaultComparer))
        {
            return false;
        }

        int index = Array.IndexOf(WellKnown, comparer);
        if (index >= 0)
        {
            writer.WriteFieldHeaderExpected(fieldIdDelta, WireType.VarInt);
            writer.WriteVarUInt32((uint)index + 1);
        }
        else
        {
            ObjectCodec.Instance.WriteField(ref writer, fieldIdDelta, typeof(object), comparer);
        }

        return true;
    }

    public static TComparer Read<TComparer>(ref Reader reader, Field field)
        where TComparer : class
    {
        object? comparer = field.WireType == WireType.VarInt
            ? ReadWellKnown(ref reader, field)
            : ObjectCodec.Instance.ReadValue(ref reader, field);
        return comparer as TComparer
            ?? throw reader.Error($"the collection's comparer '{comparer?.GetType().Name ?? "null"}' is not a '{TypeNames.Display(typeof(TComparer))}'");
    }

    private static object ReadWellKnown(ref Reader reader, Field field)
    {
        ulong code = Integers.ReadUnsigned(ref reader, field, uint.MaxValue, typeof(StringComparer));
        return code >= 1 && code <= (ulong)WellKnown.Length ? WellKnown[code - 1] : throw reader.Error($"unknown well-known comparer {code}");
    }
}
