using Actors.Serialization.Cloning;
using Actors.Serialization.Wire;

namespace Actors.Serialization.Codecs;

/// <summary>The codec and copier of <see cref="KeyValuePair{TKey, TValue}"/>: an Object with the key as field 0 and the value as field 1.</summary>
internal sealed class KeyValuePairCodec<TKey, TValue>(ICodecProvider provider) : IFieldCodec<KeyValuePair<TKey, TValue>>, IDeepCopier<KeyValuePair<TKey, TValue>>
{
    private readonly IFieldCodec<TKey> _key = provider.GetCodec<TKey>();
    private readonly IFieldCodec<TValue> _value = provider.GetCodec<TValue>();
    private IDeepCopier<TKey>? _keyCopier;
    private IDeepCopier<TValue>? _valueCopier;

    public void WriteField(ref Writer writer, uint fieldIdDelta, Type expectedType, KeyValuePair<TKey, TValue> value)
    {
        writer.WriteStartObject(fieldIdDelta, expectedType, typeof(KeyValuePair<TKey, TValue>));
        _key.WriteField(ref writer, 0, typeof(TKey), value.Key);
        _value.WriteField(ref writer, 1, typeof(TValue), value.Value);
        writer.WriteEndObject();
    }

    public KeyValuePair<TKey, TValue> ReadValue(ref Reader reader, Field field)
    {
        if (ReferenceCodec.TryReadSpecial(ref reader, field, out KeyValuePair<TKey, TValue> special))
        {
            return special;
        }

        Polymorphism.EnsureObject(ref reader, field, typeof(KeyValuePair<TKey, TValue>));
        TKey key = default!;
        TValue value = default!;
        var fields = new TupleFields(typeof(KeyValuePair<TKey, TValue>), 2);
        while (fields.Next(ref reader, out Field item, out uint id))
        {
            if (id == 0)
            {
                key = _key.ReadValue(ref reader, item);
            }
            else
            {
                value = _value.ReadValue(ref reader, item);
            }
        }

        return new KeyValuePair<TKey, TValue>(key, value);
    }

    public KeyValuePair<TKey, TValue> DeepCopy(KeyValuePair<TKey, TValue> input, CopyContext context) => new(
        (_keyCopier ??= provider.GetDeepCopier<TKey>()).DeepCopy(input.Key, context),
        (_valueCopier ??= provider.GetDeepCopier<TValue>()).DeepCopy(input.Value, context));
}
