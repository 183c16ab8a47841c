using Actors.Serialization.Cloning;
using Actors.Serialization.Wire;

namespace Actors.Serialization.Codecs;

/// <summary>The codec and copier of <see cref="object"/>-typed members: every non-null value carries its runtime type.</summary>
internal sealed class ObjectCodec : IFieldCodec<object>, IDeepCopier<object>
{
    public static readonly ObjectCodec Instance = new();

    public void WriteField(ref Writer writer, uint fieldIdDelta, Type expectedType, object? value)
    {
        if (value is null)
        {
            writer.WriteNull(fieldIdDelta);
        }
        else if (value.GetType() == typeof(object))
        {
            if (!writer.TryWriteNullOrReference(fieldIdDelta, value))
            {
                writer.WriteStartObject(fieldIdDelta, expectedType, typeof(object), value);
                writer.WriteEndObject();
            }
        }
        else
        {
            Polymorphism.WriteRuntimeType(ref writer, fieldIdDelta, expectedType, value);
        }
    }

    public object ReadValue(ref Reader reader, Field field)
    {
        if (field.IsNull || field.IsReference)
        {
            return ReferenceCodec.ReadNullOrReference<object>(ref reader, field);
        }

        if (field.HasFieldType && field.FieldType != typeof(object))
        {
            return Polymorphism.ReadRuntimeType<object>(ref reader, field);
        }

        if (field.WireType != WireType.Object)
        {
            throw reader.Error($"an untyped {field.WireType} value where an object was expected");
        }

        var result = new object();
        reader.Session.RecordObject(field.Id, result);
        reader.SkipToEndObject();
        return result;
    }

    public object DeepCopy(object? input, CopyContext context) =>
        input is null || input.GetType() == typeof(object) ? input! : context.DeepCopyRuntimeType(input);
}
