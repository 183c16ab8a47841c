using Actors.Serialization.Cloning;
using Actors.Serialization.Wire;

namespace Actors.Serialization.Codecs;

/// <summary>The codec and copier of <see cref="List{T}"/> (collection layout).</summary>
internal sealed class ListCodec<T>(ICodecProvider provider) : IFieldCodec<List<T>>, IDeepCopier<List<T>>
{
    private readonly IFieldCodec<T> _element = provider.GetCodec<T>();
    private IDeepCopier<T>? _copier;

    public void WriteField(ref Writer writer, uint fieldIdDelta, Type expectedType, List<T> value)
    {
        if (ReferenceCodec.TryWriteSpecial(ref writer, fieldIdDelta, expectedType, value))
        {
            return;
        }

        writer.WriteStartObject(fieldIdDelta, expectedType, typeof(List<T>), value);
        CollectionWire.WriteCount(ref writer, value.Count);
        uint delta = CollectionWire.ElementId;
        foreach (T item in value)
        {
            _element.WriteField(ref writer, delta, typeof(T), item);
            delta = 0;
        }

        writer.WriteEndObject();
    }

    public List<T> ReadValue(ref Reader reader, Field field)
    {
        if (ReferenceCodec.TryReadSpecial(ref reader, field, out List<T> special))
        {
            return special;
        }

        Polymorphism.EnsureObject(ref reader, field, typeof(List<T>));
        List<T> result = [];
        var fields = new CollectionFields(typeof(List<T>), 1);
        while (fields.Next(ref reader, out Field item, out uint id))
        {
            if (id == CollectionWire.CountId)
            {
                result = new List<T>(fields.Count);
                reader.Session.RecordObject(field.Id, result);
            }
            else if (id == CollectionWire.ElementId)
            {
                result.Add(_element.ReadValue(ref reader, item));
            }
            else
            {
                reader.SkipField(item);
            }
        }

        return result;
    }

    public List<T> DeepCopy(List<T> input, CopyContext context)
    {
        if (input is null)
        {
            return input!;
        }

        if (input.GetType() != typeof(List<T>))
        {
            return context.DeepCopyRuntimeType(input);
        }

        if (context.TryGetCopy(input, out List<T>? existing))
        {
            return existing;
        }

        var copy = new List<T>(input.Count);
        context.RecordCopy(input, copy);
        IDeepCopier<T> copier = _copier ??= provider.GetDeepCopier<T>();
        if (copier is IShallowCopyable)
        {
            copy.AddRange(input);
            return copy;
        }

        foreach (T item in input)
        {
            copy.Add(copier.DeepCopy(item, context));
        }

        return copy;
    }
}
