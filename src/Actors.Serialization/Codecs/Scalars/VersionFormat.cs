using Actors.Serialization.Wire;

namespace Actors.Serialization.Codecs;

/// <summary><see cref="Version"/> as its string form (LengthPrefixed UTF-8).</summary>
public struct VersionFormat : IScalarFormat<Version>
{
    /// <inheritdoc />
    public static WireType WireType => WireType.LengthPrefixed;

    /// <inheritdoc />
    public static void WritePayload(ref Writer writer, Version value) => writer.WriteStringPayload(value.ToString());

    /// <inheritdoc />
    public static Version ReadPayload(ref Reader reader, Field field)
    {
        string text = StringFormat.ReadPayload(ref reader, field);
        return Version.TryParse(text, out Version? version) ? version : throw reader.Error($"'{text}' is not a valid Version");
    }
}
