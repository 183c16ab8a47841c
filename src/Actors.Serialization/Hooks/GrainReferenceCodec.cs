using Actors.Serialization.Cloning;
using Actors.Serialization.Codecs;
using Actors.Serialization.Hooks;
using Actors.Serialization.Wire;
using StringCodec = Actors.Serialization.Codecs.ScalarCodec<string, Actors.Serialization.Codecs.StringFormat>;

namespace Actors.Serialization;

/*
 * Grain reference layout (an Object value; typed with the well-known id GrainReference when the slot's declared type
 * is not a grain reference type):
 *   field 0 GrainType:String | field 1 Key:String | field 2 Interface:String | EndObject
 */

/// <summary>
/// The codec of grain references (layout at the top of this file), through the runtime's <see cref="IGrainReferenceResolver"/>.
/// References are immutable: copies share them.
/// </summary>
internal sealed class GrainReferenceCodec<T>(IGrainReferenceResolver resolver) : IFieldCodec<T>, IDeepCopier<T>, IShallowCopyable
    where T : class
{
    public void WriteField(ref Writer writer, uint fieldIdDelta, Type expectedType, T value)
    {
        if (writer.TryWriteNullOrReference(fieldIdDelta, value))
        {
            return;
        }

        Type headerType = resolver.IsGrainReferenceType(expectedType) ? expectedType : typeof(GrainReferenceWireType);
        writer.WriteStartObject(fieldIdDelta, expectedType, headerType, value);
        GrainReferenceData data = resolver.Describe(value);
        StringCodec.WriteField(ref writer, 0, data.GrainType);
        StringCodec.WriteField(ref writer, 1, data.Key);
        StringCodec.WriteField(ref writer, 1, data.Interface);
        writer.WriteEndObject();
    }

    public T ReadValue(ref Reader reader, Field field)
    {
        if (field.IsNull || field.IsReference)
        {
            return ReferenceCodec.ReadNullOrReference<T>(ref reader, field);
        }

        if (field.HasFieldType && field.FieldType != typeof(GrainReferenceWireType) && field.FieldType != typeof(T))
        {
            return Polymorphism.ReadRuntimeType<T>(ref reader, field);
        }

        Polymorphism.EnsureObject(ref reader, field, typeof(T));
        string grainType = string.Empty;
        string key = string.Empty;
        string grainInterface = string.Empty;
        var fields = new TupleFields(typeof(GrainReferenceData), 3);
        while (fields.Next(ref reader, out Field item, out uint id))
        {
            string value = StringCodec.ReadValue(ref reader, item) ?? throw reader.Error("a grain reference with a null part");
            switch (id)
            {
                case 0:
                    grainType = value;
                    break;
                case 1:
                    key = value;
                    break;
                default:
                    grainInterface = value;
                    break;
            }
        }

        object reference = resolver.Resolve(new GrainReferenceData(grainType, key, grainInterface), typeof(T), reader.Session.CallContext);
        reader.Session.RecordObject(field.Id, reference);
        return reference as T
            ?? throw reader.Error($"the grain reference {grainType}/{key} ({grainInterface}) is not a '{TypeNames.Display(typeof(T))}'");
    }

    public T DeepCopy(T input, CopyContext context) => input;
}
