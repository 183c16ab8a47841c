using System.Runtime.CompilerServices;
using Actors.Serialization.Cloning;
using Actors.Serialization.Wire;

namespace Actors.Serialization.Codecs;

/// <summary>
/// The codec and copier of <see cref="ValueTuple"/> and <see cref="Tuple"/> types of any arity: an Object whose field i
/// is item i (items past the seventh follow on, flattened through Rest). Every item is required: a missing one is an
/// error, never a default. A Tuple is built after its items, so an item referring back to its tuple cannot be read.
/// </summary>
internal sealed class TupleCodec<TTuple>(ICodecProvider provider) : IFieldCodec<TTuple>, IDeepCopier<TTuple>
{
    private readonly TupleLayout _layout = TupleLayout.Of(typeof(TTuple));
    private IFieldCodec[]? _codecs;
    private IDeepCopier[]? _copiers;

    // Resolved on first use: a tuple type may be created only as a copier, whose items need no codec.
    private IFieldCodec[] Codecs => _codecs ??= Array.ConvertAll(_layout.Items, provider.GetCodec);

    public void WriteField(ref Writer writer, uint fieldIdDelta, Type expectedType, TTuple value)
    {
        if (CollectionHeaders.TryWriteSpecial(ref writer, fieldIdDelta, expectedType, value, null))
        {
            return;
        }

        var tuple = (ITuple)value!;
        IFieldCodec[] codecs = Codecs;
        for (int i = 0; i < codecs.Length; i++)
        {
            codecs[i].WriteField(ref writer, i == 0 ? 0u : 1u, _layout.Items[i], tuple[i]);
        }

        writer.WriteEndObject();
    }

    public TTuple ReadValue(ref Reader reader, Field field)
    {
        if (ReferenceCodec.TryReadSpecial(ref reader, field, out TTuple special))
        {
            return special;
        }

        Polymorphism.EnsureObject(ref reader, field, typeof(TTuple));
        IFieldCodec[] codecs = Codecs;
        object?[] items = new object?[codecs.Length];
        var fields = new TupleFields(typeof(TTuple), codecs.Length);
        while (fields.Next(ref reader, out Field item, out uint id))
        {
            items[id] = codecs[id].ReadValue(ref reader, item);
        }

        var result = (TTuple)_layout.Create(items);
        if (!typeof(TTuple).IsValueType)
        {
            reader.Session.RecordObject(field.Id, result!);
        }

        return result;
    }

    public TTuple DeepCopy(TTuple input, CopyContext context)
    {
        if (input is null)
        {
            return input;
        }

        if (!typeof(TTuple).IsValueType && context.TryGetCopy(input, out object? existing))
        {
            return (TTuple)existing;
        }

        IDeepCopier[] copiers = _copiers ??= Array.ConvertAll(_layout.Items, provider.GetDeepCopier);
        var tuple = (ITuple)input;
        object?[] items = new object?[copiers.Length];
        for (int i = 0; i < copiers.Length; i++)
        {
            items[i] = copiers[i].DeepCopy(tuple[i], context);
        }

        var copy = (TTuple)_layout.Create(items);
        if (!typeof(TTuple).IsValueType)
        {
            context.RecordCopy(input, copy!);
        }

        return copy;
    }
}
