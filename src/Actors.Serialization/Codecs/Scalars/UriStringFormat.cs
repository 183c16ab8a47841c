using Actors.Serialization.Wire;

namespace Actors.Serialization.Codecs;

/// <summary><see cref="Uri"/> as its original string (LengthPrefixed UTF-8); relative and absolute URIs both round-trip.</summary>
public struct UriStringFormat : IScalarFormat<Uri>
{
    /// <inheritdoc />
    public static WireType WireType => WireType.LengthPrefixed;

    /// <inheritdoc />
    public static void WritePayload(ref Writer writer, Uri value) => writer.WriteStringPayload(value.OriginalString);

    /// <inheritdoc />
    public static Uri ReadPayload(ref Reader reader, Field field)
    {
        string text = StringFormat.ReadPayload(ref reader, field);
        return Uri.TryCreate(text, UriKind.RelativeOrAbsolute, out Uri? uri) ? uri : throw reader.Error($"'{text}' is not a valid URI");
    }
}
