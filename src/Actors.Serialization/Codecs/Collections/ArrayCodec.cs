using Actors.Serialization.Cloning;
using Actors.Serialization.Wire;

namespace Actors.Serialization.Codecs;

/// <summary>The codec and copier of a one-dimensional zero-based array (collection layout; <c>byte[]</c> has its own scalar codec).</summary>
internal sealed class ArrayCodec<T>(ICodecProvider provider) : IFieldCodec<T[]>, IDeepCopier<T[]>
{
    private readonly IFieldCodec<T> _element = provider.GetCodec<T>();
    private IDeepCopier<T>? _copier;

    public void WriteField(ref Writer writer, uint fieldIdDelta, Type expectedType, T[] value)
    {
        if (ReferenceCodec.TryWriteSpecial(ref writer, fieldIdDelta, expectedType, value))
        {
            return;
        }

        writer.WriteStartObject(fieldIdDelta, expectedType, typeof(T[]), value);
        CollectionWire.WriteCount(ref writer, value.Length);
        uint delta = CollectionWire.ElementId;
        foreach (T item in value)
        {
            _element.WriteField(ref writer, delta, typeof(T), item);
            delta = 0;
        }

        writer.WriteEndObject();
    }

    public T[] ReadValue(ref Reader reader, Field field)
    {
        if (ReferenceCodec.TryReadSpecial(ref reader, field, out T[] special))
        {
            return special;
        }

        Polymorphism.EnsureObject(ref reader, field, typeof(T[]));
        T[] result = [];
        int index = 0;
        var fields = new CollectionFields(typeof(T[]), 1);
        while (fields.Next(ref reader, out Field item, out uint id))
        {
            if (id == CollectionWire.CountId)
            {
                result = new T[fields.Count];
                reader.Session.RecordObject(field.Id, result);
            }
            else if (id == CollectionWire.ElementId)
            {
                result[index++] = _element.ReadValue(ref reader, item);
            }
            else
            {
                reader.SkipField(item);
            }
        }

        return result;
    }

    public T[] DeepCopy(T[] input, CopyContext context)
    {
        if (input is null)
        {
            return input!;
        }

        if (input.GetType() != typeof(T[]))
        {
            return context.DeepCopyRuntimeType(input);
        }

        if (context.TryGetCopy(input, out T[]? existing))
        {
            return existing;
        }

        var copy = new T[input.Length];
        context.RecordCopy(input, copy);
        IDeepCopier<T> copier = _copier ??= provider.GetDeepCopier<T>();
        if (copier is IShallowCopyable)
        {
            input.AsSpan().CopyTo(copy);
            return copy;
        }

        for (int i = 0; i < input.Length; i++)
        {
            copy[i] = copier.DeepCopy(input[i], context);
        }

        return copy;
    }
}
