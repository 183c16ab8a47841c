using Actors.Serialization.Wire;

namespace Actors.Serialization.Codecs;

/// <summary><see cref="string"/> as LengthPrefixed UTF-8 (invalid UTF-8 on read is an error; lone surrogates cannot be written).</summary>
public struct StringFormat : IScalarFormat<string>
{
    /// <inheritdoc />
    public static WireType WireType => WireType.LengthPrefixed;

    /// <inheritdoc />
    public static void WritePayload(ref Writer writer, string value) => writer.WriteStringPayload(value);

    /// <inheritdoc />
    public static string ReadPayload(ref Reader reader, Field field) => field.WireType == WireType.LengthPrefixed
        ? reader.ReadStringPayload()
        : throw reader.WireTypeMismatch(field, typeof(string));
}
