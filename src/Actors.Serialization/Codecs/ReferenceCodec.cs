using Actors.Serialization.Wire;

namespace Actors.Serialization.Codecs;

/// <summary>Reads Null and Reference values for codecs of reference types.</summary>
public static class ReferenceCodec
{
    /// <summary>
    /// Returns null for a Null field and the earlier object for a Reference field (<paramref name="field"/> must be
    /// one of the two: check <see cref="Field.IsNull"/> or <see cref="Field.IsReference"/> first).
    /// </summary>
    /// <exception cref="ReferenceNotFoundException">The referenced object was not materialized.</exception>
    public static T ReadNullOrReference<T>(ref Reader reader, Field field)
    {
        if (field.IsNull)
        {
            return typeof(T).IsValueType && Nullable.GetUnderlyingType(typeof(T)) is null
                ? throw reader.Error($"null where a non-nullable '{TypeNames.Display(typeof(T))}' was expected")
                : default!;
        }

        return reader.Session.GetReferencedObject<T>(field.Id, reader.Position);
    }

    /// <summary>
    /// The common start of a reference-type codec's <c>WriteField</c>: writes a Null, a Reference to an instance already
    /// written, or (when the runtime type is not exactly <typeparamref name="T"/>) the value with its runtime type's codec.
    /// Returns false when the caller must write the value itself.
    /// </summary>
    public static bool TryWriteSpecial<T>(ref Writer writer, uint fieldIdDelta, Type expectedType, T value)
        where T : class
    {
        if (value is null)
        {
            writer.WriteNull(fieldIdDelta);
            return true;
        }

        if (value.GetType() != typeof(T))
        {
            Polymorphism.WriteRuntimeType(ref writer, fieldIdDelta, expectedType, value);
            return true;
        }

        return writer.TryWriteNullOrReference(fieldIdDelta, value);
    }

    /// <summary>
    /// The common start of a codec's <c>ReadValue</c>: reads a Null, a Reference, or a value whose header names another
    /// runtime type. Returns false when the field is a value of exactly <typeparamref name="T"/> for the caller to read.
    /// </summary>
    public static bool TryReadSpecial<T>(ref Reader reader, Field field, out T value)
    {
        if (field.IsNull || field.IsReference)
        {
            value = ReadNullOrReference<T>(ref reader, field);
            return true;
        }

        if (field.HasFieldType && field.FieldType != typeof(T))
        {
            value = Polymorphism.ReadRuntimeType<T>(ref reader, field);
            return true;
        }

        value = default!;
        return false;
    }
}
