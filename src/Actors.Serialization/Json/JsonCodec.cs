using System.Text.Json;
using Actors.Serialization.Cloning;
using Actors.Serialization.Codecs;
using Actors.Serialization.Wire;

namespace Actors.Serialization;

/// <summary>
/// The codec and copier of a type explicitly opted into JSON (<see cref="SerializerBuilder.AddJsonSerializer"/>): the
/// value as System.Text.Json UTF-8 in a LengthPrefixed payload. Object identity is not preserved inside JSON values.
/// </summary>
internal sealed class JsonCodec<T>(JsonSerializerOptions options) : IFieldCodec<T>, IDeepCopier<T>
{
    public void WriteField(ref Writer writer, uint fieldIdDelta, Type expectedType, T value)
    {
        if (value is null)
        {
            writer.WriteNull(fieldIdDelta);
            return;
        }

        if (!typeof(T).IsValueType && value.GetType() != typeof(T))
        {
            Polymorphism.WriteRuntimeType(ref writer, fieldIdDelta, expectedType, value);
            return;
        }

        writer.WriteFieldHeader(fieldIdDelta, expectedType, typeof(T), WireType.LengthPrefixed);
        writer.WriteLengthPrefixed(ToJson(value));
    }

    public T ReadValue(ref Reader reader, Field field)
    {
        if (ReferenceCodec.TryReadSpecial(ref reader, field, out T special))
        {
            return special;
        }

        if (field.WireType != WireType.LengthPrefixed)
        {
            throw reader.WireTypeMismatch(field, typeof(T));
        }

        int offset = reader.Position;
        try
        {
            return JsonSerializer.Deserialize<T>(reader.ReadLengthPrefixed(), options)!;
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException or InvalidOperationException)
        {
            throw new WireFormatException($"the JSON of a '{TypeNames.Display(typeof(T))}' cannot be read: {ex.Message}", offset);
        }
    }

    public T DeepCopy(T input, CopyContext context)
    {
        if (input is null)
        {
            return input;
        }

        if (!typeof(T).IsValueType && input.GetType() != typeof(T))
        {
            return context.DeepCopyRuntimeType(input);
        }

        return JsonSerializer.Deserialize<T>(ToJson(input), options)!;
    }

    private byte[] ToJson(T value)
    {
        try
        {
            return JsonSerializer.SerializeToUtf8Bytes(value, options);
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException or InvalidOperationException)
        {
            throw new SerializerException($"A '{TypeNames.Display(typeof(T))}' cannot be written as JSON: {ex.Message}", ex);
        }
    }
}
