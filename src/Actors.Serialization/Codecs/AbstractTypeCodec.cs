using Actors.Serialization.Cloning;
using Actors.Serialization.Wire;

namespace Actors.Serialization.Codecs;

/// <summary>
/// The codec and copier of an interface or abstract class: a value always has some other runtime type, so it is
/// written with that type's codec and named in the header.
/// </summary>
internal sealed class AbstractTypeCodec<T> : IFieldCodec<T>, IDeepCopier<T>
{
    public void WriteField(ref Writer writer, uint fieldIdDelta, Type expectedType, T value)
    {
        if (value is null)
        {
            writer.WriteNull(fieldIdDelta);
            return;
        }

        Polymorphism.WriteRuntimeType(ref writer, fieldIdDelta, expectedType, value);
    }

    public T ReadValue(ref Reader reader, Field field)
    {
        if (field.IsNull || field.IsReference)
        {
            return ReferenceCodec.ReadNullOrReference<T>(ref reader, field);
        }

        if (!field.HasFieldType)
        {
            throw reader.Error($"an untyped value where the abstract type '{TypeNames.Display(typeof(T))}' was expected");
        }

        return Polymorphism.ReadRuntimeType<T>(ref reader, field);
    }

    public T DeepCopy(T input, CopyContext context) => context.DeepCopyRuntimeType(input);
}
