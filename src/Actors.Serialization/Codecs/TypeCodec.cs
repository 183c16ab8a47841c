using System.Text;
using Actors.Serialization.Cloning;
using Actors.Serialization.Wire;

namespace Actors.Serialization.Codecs;

/// <summary>
/// The codec of <see cref="Type"/> values (for example an exception's <c>GrainClass</c> property): LengthPrefixed, the
/// type's name as text. A name is a CLR full name (namespace, '+' for nesting) or an <see cref="AliasAttribute"/>
/// alias, followed for a constructed generic type by its arguments in angle brackets (<c>System.Collections.Generic.List`1&lt;System.Int32&gt;</c>)
/// and for an array by <c>[]</c> or <c>[,]</c>; no assembly names or versions. Reading resolves the name among the
/// types already loaded in this process (never loading an assembly); it yields a <see cref="Type"/> object only, never
/// an instance, so any loaded type is allowed. An unknown name is an <see cref="UnknownTypeException"/>.
/// Types are immutable: copies share them.
/// </summary>
internal sealed class TypeCodec(CodecProvider provider) : IFieldCodec<Type>, IDeepCopier<Type>, IShallowCopyable
{
    public void WriteField(ref Writer writer, uint fieldIdDelta, Type expectedType, Type value)
    {
        if (value is null)
        {
            writer.WriteNull(fieldIdDelta);
            return;
        }

        writer.WriteFieldHeader(fieldIdDelta, expectedType, typeof(Type), WireType.LengthPrefixed);
        writer.WriteStringPayload(Format(value));
    }

    public Type ReadValue(ref Reader reader, Field field)
    {
        if (field.IsNull)
        {
            return null!;
        }

        if (field.WireType != WireType.LengthPrefixed)
        {
            throw reader.WireTypeMismatch(field, typeof(Type));
        }

        string name = reader.ReadStringPayload();
        int position = 0;
        Type? type = Parse(name, ref position);
        return type is not null && position == name.Length ? type : throw new UnknownTypeException(name, "no loaded type has this name (a Type value)");
    }

    public Type DeepCopy(Type input, CopyContext context) => input;

    private string Format(Type type)
    {
        var builder = new StringBuilder();
        Append(builder, type);
        return builder.ToString();
    }

    private void Append(StringBuilder builder, Type type)
    {
        if (type.IsArray)
        {
            Append(builder, type.GetElementType()!);
            builder.Append('[').Append(',', type.IsSZArray ? 0 : type.GetArrayRank() - 1).Append(']');
            return;
        }

        if (type.IsGenericParameter || type.IsPointer || type.IsByRef)
        {
            throw new SerializerException($"The type '{TypeNames.Display(type)}' cannot be written as a Type value (only named types, their constructed generics and arrays).");
        }

        Type definition = type.IsConstructedGenericType ? type.GetGenericTypeDefinition() : type;
        builder.Append(provider.Types.GetWireName(definition) is { Name: { } name } ? name : definition.FullName);
        if (type.IsConstructedGenericType)
        {
            builder.Append('<');
            Type[] arguments = type.GenericTypeArguments;
            for (int i = 0; i < arguments.Length; i++)
            {
                Append(builder.Append(i == 0 ? "" : ","), arguments[i]);
            }

            builder.Append('>');
        }
    }

    private Type? Parse(string text, ref int position)
        => TypeNameSyntax.Parse(text, ref position, (name, _) => provider.Types.FindLoadedType(name));
}
