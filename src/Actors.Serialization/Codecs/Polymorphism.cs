using Actors.Serialization.Wire;

namespace Actors.Serialization.Codecs;

/// <summary>Dispatches values whose runtime type differs from the declared type to the runtime type's codec.</summary>
public static class Polymorphism
{
    /// <summary>Writes <paramref name="value"/> with the codec of its runtime type; the header names that type.</summary>
    /// <exception cref="CodecNotFoundException">No codec is known for the runtime type.</exception>
    public static void WriteRuntimeType(ref Writer writer, uint fieldIdDelta, Type expectedType, object value) =>
        writer.Session.Provider.GetCodec(value.GetType()).WriteField(ref writer, fieldIdDelta, expectedType, value);

    /// <summary>Reads a typed value (<see cref="Field.HasFieldType"/>) with the codec of the type its header names.</summary>
    /// <exception cref="UnknownTypeException">The named type is not known here.</exception>
    /// <exception cref="WireFormatException">The named type is not a <typeparamref name="T"/>.</exception>
    public static T ReadRuntimeType<T>(ref Reader reader, Field field)
    {
        Type type = field.FieldType!;
        if (!typeof(T).IsAssignableFrom(type) && !IsCodecMarker(type))
        {
            throw reader.Error($"a value of type '{TypeNames.Display(type)}' where a '{TypeNames.Display(typeof(T))}' was expected");
        }

        object? value = reader.Session.Provider.GetCodec(type).ReadValue(ref reader, field);
        return value is T typed ? typed
            : value is null && default(T) is null ? default!
            : throw reader.Error($"a value of type '{(value is null ? "null" : TypeNames.Display(value.GetType()))}' where a '{TypeNames.Display(typeof(T))}' was expected");
    }

    /// <summary>Throws unless <paramref name="field"/> is an Object.</summary>
    public static void EnsureObject(ref Reader reader, Field field, Type expected)
    {
        if (field.WireType != WireType.Object)
        {
            throw reader.WireTypeMismatch(field, expected);
        }
    }

    // Types that stand for a family of runtime types on the wire (exceptions by name, grain references).
    private static bool IsCodecMarker(Type type) => type == typeof(Exception) || type == typeof(Hooks.GrainReferenceWireType);
}
