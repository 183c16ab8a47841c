using Actors.Serialization.Cloning;
using Actors.Serialization.Wire;

namespace Actors.Serialization.Codecs;

/// <summary>
/// The codec and copier of a collection described by a <see cref="SequenceShape{TCollection, T}"/> (queues, stacks,
/// sorted sets, linked lists, read-only and immutable collections): collection layout, built after its elements are
/// read, so a reference from inside the collection to the collection itself cannot be resolved (an error).
/// </summary>
internal sealed class SequenceCodec<TCollection, T>(ICodecProvider provider, SequenceShape<TCollection, T> shape) : IFieldCodec<TCollection>, IDeepCopier<TCollection>
{
    private readonly IFieldCodec<T> _element = provider.GetCodec<T>();
    private IDeepCopier<T>? _copier;

    public void WriteField(ref Writer writer, uint fieldIdDelta, Type expectedType, TCollection value)
    {
        if (CollectionHeaders.TryWriteSpecial(ref writer, fieldIdDelta, expectedType, value, shape.IsDefault))
        {
            return;
        }

        CollectionWire.WriteCount(ref writer, shape.Count(value));
        uint delta = ComparerWire.Write(ref writer, CollectionWire.ComparerId, shape.Comparer?.Invoke(value), shape.DefaultComparer!) ? 1u : CollectionWire.ElementId;
        foreach (T item in shape.Items(value))
        {
            _element.WriteField(ref writer, delta, typeof(T), item);
            delta = 0;
        }

        writer.WriteEndObject();
    }

    public TCollection ReadValue(ref Reader reader, Field field)
    {
        if (field.IsNull && typeof(TCollection).IsValueType)
        {
            return default!; // a default ImmutableArray
        }

        if (ReferenceCodec.TryReadSpecial(ref reader, field, out TCollection special))
        {
            return special;
        }

        Polymorphism.EnsureObject(ref reader, field, typeof(TCollection));
        T[] items = [];
        object? comparer = null;
        int index = 0;
        var fields = new CollectionFields(typeof(TCollection), 1);
        while (fields.Next(ref reader, out Field item, out uint id))
        {
            switch (id)
            {
                case CollectionWire.CountId:
                    items = fields.Count == 0 ? [] : new T[fields.Count];
                    break;
                case CollectionWire.ComparerId:
                    comparer = ComparerWire.Read<object>(ref reader, item);
                    break;
                default:
                    items[index++] = _element.ReadValue(ref reader, item);
                    break;
            }
        }

        TCollection result = shape.Create(items, comparer);
        if (!typeof(TCollection).IsValueType)
        {
            reader.Session.RecordObject(field.Id, result!);
        }

        return result;
    }

    public TCollection DeepCopy(TCollection input, CopyContext context)
    {
        if (input is null || shape.IsDefault?.Invoke(input) == true)
        {
            return input;
        }

        if (!typeof(TCollection).IsValueType && input.GetType() != typeof(TCollection))
        {
            return context.DeepCopyRuntimeType(input);
        }

        IDeepCopier<T> copier = _copier ??= provider.GetDeepCopier<T>();
        if (shape.IsImmutable && copier is IShallowCopyable)
        {
            return input;
        }

        if (!typeof(TCollection).IsValueType && context.TryGetCopy(input!, out object? existing))
        {
            return (TCollection)existing;
        }

        context.EnterCopy();
        var items = new T[shape.Count(input)];
        int index = 0;
        foreach (T item in shape.Items(input))
        {
            items[index++] = copier.DeepCopy(item, context);
        }

        TCollection copy = shape.Create(items, shape.Comparer?.Invoke(input));
        context.ExitCopy();
        if (!typeof(TCollection).IsValueType)
        {
            context.RecordCopy(input!, copy!);
        }

        return copy;
    }
}
