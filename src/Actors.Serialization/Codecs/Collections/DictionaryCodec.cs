using Actors.Serialization.Cloning;
using Actors.Serialization.Wire;

namespace Actors.Serialization.Codecs;

/// <summary>The codec and copier of <see cref="Dictionary{TKey, TValue}"/> (collection layout: keys and values alternate; with its comparer).</summary>
internal sealed class DictionaryCodec<TKey, TValue>(ICodecProvider provider) : IFieldCodec<Dictionary<TKey, TValue>>, IDeepCopier<Dictionary<TKey, TValue>>
    where TKey : notnull
{
    private readonly IFieldCodec<TKey> _key = provider.GetCodec<TKey>();
    private readonly IFieldCodec<TValue> _value = provider.GetCodec<TValue>();
    private IDeepCopier<TKey>? _keyCopier;
    private IDeepCopier<TValue>? _valueCopier;

    public void WriteField(ref Writer writer, uint fieldIdDelta, Type expectedType, Dictionary<TKey, TValue> value)
    {
        if (ReferenceCodec.TryWriteSpecial(ref writer, fieldIdDelta, expectedType, value))
        {
            return;
        }

        writer.WriteStartObject(fieldIdDelta, expectedType, typeof(Dictionary<TKey, TValue>), value);
        CollectionWire.WriteCount(ref writer, value.Count);
        uint delta = ComparerWire.Write(ref writer, CollectionWire.ComparerId, value.Comparer, EqualityComparer<TKey>.Default) ? 1u : CollectionWire.ElementId;
        foreach (KeyValuePair<TKey, TValue> pair in value)
        {
            _key.WriteField(ref writer, delta, typeof(TKey), pair.Key);
            _value.WriteField(ref writer, 0, typeof(TValue), pair.Value);
            delta = 0;
        }

        writer.WriteEndObject();
    }

    public Dictionary<TKey, TValue> ReadValue(ref Reader reader, Field field)
    {
        if (ReferenceCodec.TryReadSpecial(ref reader, field, out Dictionary<TKey, TValue> special))
        {
            return special;
        }

        Polymorphism.EnsureObject(ref reader, field, typeof(Dictionary<TKey, TValue>));
        Dictionary<TKey, TValue> result = [];
        var fields = new CollectionFields(typeof(Dictionary<TKey, TValue>), 2);
        TKey key = default!;
        bool haveKey = false;
        while (fields.Next(ref reader, out Field item, out uint id))
        {
            switch (id)
            {
                case CollectionWire.CountId:
                    result = new Dictionary<TKey, TValue>(fields.Count);
                    reader.Session.RecordObject(field.Id, result);
                    break;
                case CollectionWire.ComparerId:
                    result = new Dictionary<TKey, TValue>(Math.Max(fields.Count, 0), ComparerWire.Read<IEqualityComparer<TKey>>(ref reader, item));
                    reader.Session.RecordObject(field.Id, result);
                    break;
                default:
                    if (!haveKey)
                    {
                        key = _key.ReadValue(ref reader, item);
                        haveKey = true;
                    }
                    else
                    {
                        if (!result.TryAdd(key, _value.ReadValue(ref reader, item)))
                        {
                            throw reader.Error($"a '{TypeNames.Display(typeof(Dictionary<TKey, TValue>))}' holds the key '{key}' twice");
                        }

                        haveKey = false;
                    }

                    break;
            }
        }

        return result;
    }

    public Dictionary<TKey, TValue> DeepCopy(Dictionary<TKey, TValue> input, CopyContext context)
    {
        if (input is null)
        {
            return input!;
        }

        if (input.GetType() != typeof(Dictionary<TKey, TValue>))
        {
            return context.DeepCopyRuntimeType(input);
        }

        if (context.TryGetCopy(input, out Dictionary<TKey, TValue>? existing))
        {
            return existing;
        }

        var copy = new Dictionary<TKey, TValue>(input.Count, input.Comparer);
        context.RecordCopy(input, copy);
        IDeepCopier<TKey> keyCopier = _keyCopier ??= provider.GetDeepCopier<TKey>();
        IDeepCopier<TValue> valueCopier = _valueCopier ??= provider.GetDeepCopier<TValue>();
        foreach (KeyValuePair<TKey, TValue> pair in input)
        {
            copy[keyCopier.DeepCopy(pair.Key, context)] = valueCopier.DeepCopy(pair.Value, context);
        }

        return copy;
    }
}
