using Actors.Serialization.Cloning;
using Actors.Serialization.Wire;

namespace Actors.Serialization.Codecs;

/// <summary>The codec and copier of <see cref="HashSet{T}"/> (collection layout, with its comparer).</summary>
internal sealed class HashSetCodec<T>(ICodecProvider provider) : IFieldCodec<HashSet<T>>, IDeepCopier<HashSet<T>>
{
    private readonly IFieldCodec<T> _element = provider.GetCodec<T>();
    private IDeepCopier<T>? _copier;

    public void WriteField(ref Writer writer, uint fieldIdDelta, Type expectedType, HashSet<T> value)
    {
        if (ReferenceCodec.TryWriteSpecial(ref writer, fieldIdDelta, expectedType, value))
        {
            return;
        }

        writer.WriteStartObject(fieldIdDelta, expectedType, typeof(HashSet<T>), value);
        CollectionWire.WriteCount(ref writer, value.Count);
        uint delta = ComparerWire.Write(ref writer, CollectionWire.ComparerId, value.Comparer, EqualityComparer<T>.Default) ? 1u : CollectionWire.ElementId;
        foreach (T item in value)
        {
            _element.WriteField(ref writer, delta, typeof(T), item);
            delta = 0;
        }

        writer.WriteEndObject();
    }

    public HashSet<T> ReadValue(ref Reader reader, Field field)
    {
        if (ReferenceCodec.TryReadSpecial(ref reader, field, out HashSet<T> special))
        {
            return special;
        }

        Polymorphism.EnsureObject(ref reader, field, typeof(HashSet<T>));
        HashSet<T> result = [];
        var fields = new CollectionFields(typeof(HashSet<T>), 1);
        while (fields.Next(ref reader, out Field item, out uint id))
        {
            switch (id)
            {
                case CollectionWire.CountId:
                    result = new HashSet<T>(fields.Count);
                    reader.Session.RecordObject(field.Id, result);
                    break;
                case CollectionWire.ComparerId:
                    // The comparer precedes the elements: rebuild the (still empty) set with it.
                    result = new HashSet<T>(Math.Max(fields.Count, 0), ComparerWire.Read<IEqualityComparer<T>>(ref reader, item));
                    reader.Session.RecordObject(field.Id, result);
                    break;
                default:
                    result.Add(_element.ReadValue(ref reader, item));
                    break;
            }
        }

        return result;
    }

    public HashSet<T> DeepCopy(HashSet<T> input, CopyContext context)
    {
        if (input is null)
        {
            return input!;
        }

        if (input.GetType() != typeof(HashSet<T>))
        {
            return context.DeepCopyRuntimeType(input);
        }

        if (context.TryGetCopy(input, out HashSet<T>? existing))
        {
            return existing;
        }

        var copy = new HashSet<T>(input.Count, input.Comparer);
        context.RecordCopy(input, copy);
        IDeepCopier<T> copier = _copier ??= provider.GetDeepCopier<T>();
        foreach (T item in input)
        {
            copy.Add(copier.DeepCopy(item, context));
        }

        return copy;
    }
}
