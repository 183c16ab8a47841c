using Actors.Serialization.Cloning;
using Actors.Serialization.Wire;

namespace Actors.Serialization.Codecs;

/*
 * Multi-dimensional array layout (an Object value):
 *   field 0  Length:VarInt, once per dimension (all with id 0, in dimension order)
 *   field 2  Element * (product of the lengths), in row-major order (all with id 2)
 *   EndObject
 */

/// <summary>The codec and copier of a rectangular array of rank 2 or more (layout at the top of this file).</summary>
internal sealed class MultiDimensionalArrayCodec<TArray, TElement>(ICodecProvider provider) : IFieldCodec<TArray>, IDeepCopier<TArray>
    where TArray : class
{
    private readonly IFieldCodec<TElement> _element = provider.GetCodec<TElement>();
    private IDeepCopier<TElement>? _copier;

    public void WriteField(ref Writer writer, uint fieldIdDelta, Type expectedType, TArray value)
    {
        if (ReferenceCodec.TryWriteSpecial(ref writer, fieldIdDelta, expectedType, value))
        {
            return;
        }

        var array = (Array)(object)value;
        writer.WriteStartObject(fieldIdDelta, expectedType, typeof(TArray), value);
        for (int dimension = 0; dimension < array.Rank; dimension++)
        {
            writer.WriteFieldHeaderExpected(0, WireType.VarInt);
            writer.WriteVarUInt32((uint)array.GetLength(dimension));
        }

        uint delta = CollectionWire.ElementId;
        foreach (TElement item in array)
        {
            _element.WriteField(ref writer, delta, typeof(TElement), item);
            delta = 0;
        }

        writer.WriteEndObject();
    }

    public TArray ReadValue(ref Reader reader, Field field)
    {
        if (ReferenceCodec.TryReadSpecial(ref reader, field, out TArray special))
        {
            return special;
        }

        Polymorphism.EnsureObject(ref reader, field, typeof(TArray));
        int rank = typeof(TArray).GetArrayRank();
        var lengths = new List<int>(rank);
        Array? array = null;
        int[] index = new int[rank];
        long total = 0;
        long read = 0;
        uint id = 0;
        while (true)
        {
            Field item = reader.ReadFieldHeader();
            if (item.IsEnd)
            {
                break;
            }

            id += item.FieldIdDelta;
            if (id == 0)
            {
                lengths.Add(CollectionWire.ReadCount(ref reader, item, 0, typeof(TArray)));
            }
            else if (id == CollectionWire.ElementId)
            {
                array ??= Create(ref reader, lengths, rank, field.Id, out total);
                if (read == total)
                {
                    throw CollectionWire.CountMismatch(ref reader, typeof(TArray), (int)total, (int)total + 1);
                }

                array.SetValue(_element.ReadValue(ref reader, item), index);
                read++;
                Increment(index, lengths);
            }
            else
            {
                reader.SkipField(item);
            }
        }

        array ??= Create(ref reader, lengths, rank, field.Id, out total);
        if (read != total)
        {
            throw CollectionWire.CountMismatch(ref reader, typeof(TArray), (int)total, (int)read);
        }

        return (TArray)(object)array;
    }

    public TArray DeepCopy(TArray input, CopyContext context)
    {
        if (input is null)
        {
            return input!;
        }

        if (context.TryGetCopy(input, out TArray? existing))
        {
            return existing;
        }

        var source = (Array)(object)input;
        var copy = (Array)source.Clone();
        context.RecordCopy(input, copy);
        IDeepCopier<TElement> copier = _copier ??= provider.GetDeepCopier<TElement>();
        if (copier is not IShallowCopyable)
        {
            int[] index = new int[source.Rank];
            var lengths = Enumerable.Range(0, source.Rank).Select(source.GetLength).ToList();
            for (long i = 0; i < source.LongLength; i++)
            {
                copy.SetValue(copier.DeepCopy((TElement)source.GetValue(index)!, context), index);
                Increment(index, lengths);
            }
        }

        return (TArray)(object)copy;
    }

    private static Array Create(ref Reader reader, List<int> lengths, int rank, uint objectId, out long total)
    {
        if (lengths.Count != rank)
        {
            throw reader.Error($"a '{TypeNames.Display(typeof(TArray))}' with {lengths.Count} dimension lengths");
        }

        total = 1;
        foreach (int length in lengths)
        {
            total = Math.Min(total * length, (long)int.MaxValue + 1); // lengths are ints: no overflow before the clamp
        }

        if (total > reader.Remaining)
        {
            throw reader.Error($"a '{TypeNames.Display(typeof(TArray))}' claims {total} elements but only {reader.Remaining} bytes are left");
        }

        var array = Array.CreateInstance(typeof(TElement), [.. lengths]);
        reader.Session.RecordObject(objectId, array);
        return array;
    }

    private static void Increment(int[] index, List<int> lengths)
    {
        for (int dimension = index.Length - 1; dimension >= 0; dimension--)
        {
            if (++index[dimension] < lengths[dimension])
            {
                return;
            }

            index[dimension] = 0;
        }
    }
}
