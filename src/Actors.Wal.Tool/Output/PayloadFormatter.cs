using System.Text.Json;

namespace Actors.Wal.Tool.Output;

/// <summary>Shows a payload as JSON when it parses as JSON, otherwise as lowercase hex.</summary>
internal static class PayloadFormatter
{
    /// <summary>True (with the parsed document) when <paramref name="payload"/> is one valid JSON value in UTF-8.</summary>
    public static bool TryParseJson(ReadOnlyMemory<byte> payload, out JsonDocument? document)
    {
        document = null;
        if (payload.IsEmpty)
        {
            return false;
        }

        try
        {
            document = JsonDocument.Parse(payload);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>The encoding name and the text: compact JSON or hex.</summary>
    public static (string Encoding, string Text) Describe(ReadOnlyMemory<byte> payload)
    {
        if (TryParseJson(payload, out var document))
        {
            using (document)
            {
                return ("json", JsonSerializer.Serialize(document!.RootElement));
            }
        }

        return ("hex", Convert.ToHexStringLower(payload.Span));
    }

    /// <summary>Writes the payload as a JSON value (the parsed JSON itself) or a hex string, plus its encoding property.</summary>
    public static void Write(Utf8JsonWriter writer, string name, ReadOnlyMemory<byte> payload)
    {
        if (TryParseJson(payload, out var document))
        {
            using (document)
            {
                writer.WriteString(name + "Encoding", "json");
                writer.WritePropertyName(name);
                document!.RootElement.WriteTo(writer);
            }

            return;
        }

        writer.WriteString(name + "Encoding", "hex");
        writer.WriteString(name, Convert.ToHexStringLower(payload.Span));
    }
}
