using Actors.Serialization.Cloning;
using Actors.Serialization.Wire;

namespace Actors.Serialization.Codecs;

/// <summary>
/// The codec and copier of a type carried through a <see cref="IConverter{TValue, TSurrogate}"/>: an Object holding the
/// surrogate's fields. A copy converts to the surrogate, copies it and converts back.
/// </summary>
internal sealed class SurrogateCodec<TValue, TSurrogate>(ICodecProvider provider, IConverter<TValue, TSurrogate> converter)
    : IFieldCodec<TValue>, IDeepCopier<TValue>
    where TSurrogate : struct
{
    private readonly IValueSerializer<TSurrogate> _surrogate = provider.GetValueSerializer<TSurrogate>();
    private IDeepCopier<TSurrogate>? _surrogateCopier;

    public void WriteField(ref Writer writer, uint fieldIdDelta, Type expectedType, TValue value)
    {
        if (CollectionHeaders.TryWriteSpecial(ref writer, fieldIdDelta, expectedType, value, null))
        {
            return;
        }

        TSurrogate surrogate = converter.ConvertToSurrogate(in value);
        _surrogate.Serialize(ref writer, ref surrogate);
        writer.WriteEndObject();
    }

    public TValue ReadValue(ref Reader reader, Field field)
    {
        if (ReferenceCodec.TryReadSpecial(ref reader, field, out TValue special))
        {
            return special;
        }

        Polymorphism.EnsureObject(ref reader, field, typeof(TValue));
        TSurrogate surrogate = default;
        _surrogate.Deserialize(ref reader, ref surrogate);
        TValue value = converter.ConvertFromSurrogate(in surrogate);
        if (value is not null && !typeof(TValue).IsValueType)
        {
            reader.Session.RecordObject(field.Id, value);
        }

        return value;
    }

    public TValue DeepCopy(TValue input, CopyContext context)
    {
        if (input is null)
        {
            return input;
        }

        if (!typeof(TValue).IsValueType && input.GetType() != typeof(TValue))
        {
            return context.DeepCopyRuntimeType(input);
        }

        if (!typeof(TValue).IsValueType && context.TryGetCopy(input, out object? existing))
        {
            return (TValue)existing;
        }

        TSurrogate surrogate = converter.ConvertToSurrogate(in input);
        surrogate = (_surrogateCopier ??= provider.GetDeepCopier<TSurrogate>()).DeepCopy(surrogate, context);
        TValue copy = converter.ConvertFromSurrogate(in surrogate);
        if (!typeof(TValue).IsValueType)
        {
            context.RecordCopy(input, copy!);
        }

        return copy;
    }
}
