using Actors.Serialization.Wire;

namespace Actors.Serialization.Codecs;

/// <summary>The start of a collection value whose type may be a class or a struct.</summary>
internal static class CollectionHeaders
{
    /// <summary>
    /// Writes Null (also for a struct collection's default value), a Reference, or the value with its runtime type's codec,
    /// and returns true; otherwise writes the Object header (recording a class instance) and returns false.
    /// </summary>
    public static bool TryWriteSpecial<TCollection>(ref Writer writer, uint fieldIdDelta, Type expectedType, TCollection value, Func<TCollection, bool>? isDefault)
    {
        if (value is null || isDefault?.Invoke(value) == true)
        {
            writer.WriteNull(fieldIdDelta);
            return true;
        }

        if (typeof(TCollection).IsValueType)
        {
            writer.WriteStartObject(fieldIdDelta, expectedType, typeof(TCollection));
            return false;
        }

        if (value.GetType() != typeof(TCollection))
        {
            Polymorphism.WriteRuntimeType(ref writer, fieldIdDelta, expectedType, value);
            return true;
        }

        if (writer.TryWriteNullOrReference(fieldIdDelta, value))
        {
            return true;
        }

        writer.WriteStartObject(fieldIdDelta, expectedType, typeof(TCollection), value);
        return false;
    }
}
