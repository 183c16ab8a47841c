using Actors.Serialization.Cloning;
using Actors.Serialization.Wire;

namespace Actors.Serialization.Codecs;

/// <summary>
/// The codec and copier of a dictionary described by a <see cref="PairSequenceShape{TCollection, TKey, TValue}"/>
/// (sorted, concurrent, read-only and immutable dictionaries): collection layout with keys and values alternating.
/// </summary>
internal sealed class PairSequenceCodec<TCollection, TKey, TValue>(ICodecProvider provider, PairSequenceShape<TCollection, TKey, TValue> shape)
    : IFieldCodec<TCollection>, IDeepCopier<TCollection>
    where TCollection : class
{
    private readonly IFieldCodec<TKey> _key = provider.GetCodec<TKey>();
    private readonly IFieldCodec<TValue> _value = provider.GetCodec<TValue>();
    private IDeepCopier<TKey>? _keyCopier;
    private IDeepCopier<TValue>? _valueCopier;

    public void WriteField(ref Writer writer, uint fieldIdDelta, Type expectedType, TCollection value)
    {
        if (value is not null)
        {
            shape.Validate?.Invoke(value);
        }

        if (CollectionHeaders.TryWriteSpecial(ref writer, fieldIdDelta, expectedType, value!, null))
        {
            return;
        }

        CollectionWire.WriteCount(ref writer, shape.Count(value!));
        uint delta = ComparerWire.Write(ref writer, CollectionWire.ComparerId, shape.Comparer?.Invoke(value!), shape.DefaultComparer!) ? 1u : CollectionWire.ElementId;
        foreach (KeyValuePair<TKey, TValue> pair in shape.Items(value!))
        {
            _key.WriteField(ref writer, delta, typeof(TKey), pair.Key);
            _value.WriteField(ref writer, 0, typeof(TValue), pair.Value);
            delta = 0;
        }

        writer.WriteEndObject();
    }

    public TCollection ReadValue(ref Reader reader, Field field)
    {
        if (ReferenceCodec.TryReadSpecial(ref reader, field, out TCollection special))
        {
            return special;
        }

        Polymorphism.EnsureObject(ref reader, field, typeof(TCollection));
        KeyValuePair<TKey, TValue>[] pairs = [];
        object? comparer = null;
        int values = 0;
        TKey key = default!;
        var fields = new CollectionFields(typeof(TCollection), 2);
        while (fields.Next(ref reader, out Field item, out uint id))
        {
            switch (id)
            {
                case CollectionWire.CountId:
                    pairs = fields.Count == 0 ? [] : new KeyValuePair<TKey, TValue>[fields.Count];
                    break;
                case CollectionWire.ComparerId:
                    comparer = ComparerWire.Read<object>(ref reader, item);
                    break;
                default:
                    if (values % 2 == 0)
                    {
                        key = _key.ReadValue(ref reader, item);
                    }
                    else
                    {
                        pairs[values / 2] = new KeyValuePair<TKey, TValue>(key, _value.ReadValue(ref reader, item));
                    }

                    values++;
                    break;
            }
        }

        TCollection result;
        try
        {
            result = shape.Create(pairs, comparer);
        }
        catch (ArgumentException ex)
        {
            throw reader.Error($"a '{TypeNames.Display(typeof(TCollection))}' cannot be rebuilt from its pairs ({ex.Message})");
        }

        reader.Session.RecordObject(field.Id, result);
        return result;
    }

    public TCollection DeepCopy(TCollection input, CopyContext context)
    {
        if (input is null)
        {
            return input!;
        }

        if (input.GetType() != typeof(TCollection))
        {
            return context.DeepCopyRuntimeType(input);
        }

        IDeepCopier<TKey> keyCopier = _keyCopier ??= provider.GetDeepCopier<TKey>();
        IDeepCopier<TValue> valueCopier = _valueCopier ??= provider.GetDeepCopier<TValue>();
        if (shape.IsImmutable && keyCopier is IShallowCopyable && valueCopier is IShallowCopyable)
        {
            return input;
        }

        if (context.TryGetCopy(input, out TCollection? existing))
        {
            return existing;
        }

        context.EnterCopy();
        var pairs = new KeyValuePair<TKey, TValue>[shape.Count(input)];
        int index = 0;
        foreach (KeyValuePair<TKey, TValue> pair in shape.Items(input))
        {
            pairs[index++] = new KeyValuePair<TKey, TValue>(keyCopier.DeepCopy(pair.Key, context), valueCopier.DeepCopy(pair.Value, context));
        }

        TCollection copy = shape.Create(pairs, shape.Comparer?.Invoke(input));
        context.ExitCopy();
        context.RecordCopy(input, copy);
        return copy;
    }
}
