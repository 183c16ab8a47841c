using Actors.Serialization.Wire;

namespace Actors.Serialization.Codecs;

/*
 * Collection layout (an Object value):
 *   field 0  Count:VarInt            the number of elements (pairs for dictionaries); always first
 *   field 1  Comparer (optional)     absent = the default comparer; VarInt 1..4 = StringComparer Ordinal,
 *                                    OrdinalIgnoreCase, InvariantCulture, InvariantCultureIgnoreCase; any other
 *                                    comparer is written as a value of its runtime type (it needs a codec)
 *   field 2  Element * Count         all with id 2 (delta 0 after the first); dictionaries alternate key, value
 *   EndObject
 * Readers skip field ids they do not know. A count above the bytes left, or a number of elements that differs from
 * the count, is an error.
 */

/// <summary>Shared pieces of the collection layout described at the top of this file.</summary>
internal static class CollectionWire
{
    public const uint CountId = 0;
    public const uint ComparerId = 1;
    public const uint ElementId = 2;

    public static void WriteCount(ref Writer writer, int count)
    {
        writer.WriteFieldHeaderExpected(CountId, WireType.VarInt);
        writer.WriteVarUInt32((uint)count);
    }

    /// <summary>Reads the count, refusing one that cannot fit in the bytes left (each value takes at least one byte).</summary>
    public static int ReadCount(ref Reader reader, Field field, int valuesPerItem, Type collection)
    {
        ulong count = Integers.ReadUnsigned(ref reader, field, int.MaxValue, collection);
        if (count * (ulong)valuesPerItem > (ulong)reader.Remaining)
        {
            throw reader.Error($"a '{TypeNames.Display(collection)}' claims {count} elements but only {reader.Remaining} bytes are left");
        }

        return (int)count;
    }

    public static WireFormatException MissingCount(ref Reader reader, Type collection) =>
        reader.Error($"a '{TypeNames.Display(collection)}' element before its count");

    public static WireFormatException CountMismatch(ref Reader reader, Type collection, int expected, int actual) =>
        reader.Error($"a '{TypeNames.Display(collection)}' declares {expected} elements but holds {actual}");
}
