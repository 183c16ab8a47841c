using System.Text.Json;
using Actors.Persistence.Wal.Format;

namespace Actors.Wal.Tool.Output;

/// <summary>
/// Shows what the silo's grain storage provider writes (src/Actors.Persistence.Wal/Format): an event record's
/// envelope (journal event by its stable type name, named state written or cleared) and a checkpoint's parts, each
/// payload as JSON when it is JSON. Payloads without the envelope (an engine used directly) are shown as they are.
/// </summary>
internal static class GrainPayloadFormatter
{
    /// <summary>One line for an event record's payload: <c>event 'deposited' json: {...}</c>, <c>state 'profile' written json: {...}</c>, or the raw payload.</summary>
    public static string DescribeEvent(ReadOnlyMemory<byte> payload, bool raw)
    {
        if (!raw && GrainRecord.TryRead(payload, out GrainRecord record, out _))
        {
            var (encoding, text) = PayloadFormatter.Describe(record.Payload);
            return record.Kind switch
            {
                GrainRecordKind.JournalEvent => $"event '{record.TypeName}' {encoding}: {text}",
                GrainRecordKind.StateWrite => $"state '{record.Name}' written {encoding}: {text}",
                _ => $"state '{record.Name}' cleared",
            };
        }

        var (rawEncoding, rawText) = PayloadFormatter.Describe(payload);
        return $"{rawEncoding}: {rawText}";
    }

    /// <summary>The lines of a checkpoint's state: one per part of a grain checkpoint, or the raw state.</summary>
    public static (string Summary, IReadOnlyList<string> Lines) DescribeCheckpoint(ReadOnlyMemory<byte> state, bool raw)
    {
        if (!raw && GrainCheckpoint.TryRead(state, out IReadOnlyList<CheckpointEntry> entries, out _))
        {
            return ($"grain checkpoint, {entries.Count} part(s)", [.. entries.Select(Part)]);
        }

        var (encoding, text) = PayloadFormatter.Describe(state);
        return (encoding, [text]);
    }

    /// <summary>Writes an event payload: <c>kind</c>, <c>eventType</c> or <c>state</c>, then the inner payload; or the raw payload.</summary>
    public static void WriteEvent(Utf8JsonWriter writer, ReadOnlyMemory<byte> payload, bool raw)
    {
        if (!raw && GrainRecord.TryRead(payload, out GrainRecord record, out _))
        {
            writer.WriteString("kind", KindName(record.Kind));
            if (record.Kind == GrainRecordKind.JournalEvent)
            {
                writer.WriteString("eventType", record.TypeName);
            }
            else
            {
                writer.WriteString("state", record.Name);
            }

            PayloadFormatter.Write(writer, "payload", record.Payload);
            return;
        }

        PayloadFormatter.Write(writer, "payload", payload);
    }

    /// <summary>Writes a checkpoint's state: a <c>parts</c> array for a grain checkpoint, else the raw <c>state</c>.</summary>
    public static void WriteCheckpoint(Utf8JsonWriter writer, ReadOnlyMemory<byte> state, bool raw)
    {
        if (!raw && GrainCheckpoint.TryRead(state, out IReadOnlyList<CheckpointEntry> entries, out _))
        {
            writer.WriteStartArray("parts");
            foreach (CheckpointEntry entry in entries)
            {
                writer.WriteStartObject();
                writer.WriteString("kind", KindName(entry.Kind));
                writer.WriteString("state", entry.Name);
                writer.WriteNumber("version", entry.Version);
                PayloadFormatter.Write(writer, "payload", entry.Payload);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            return;
        }

        PayloadFormatter.Write(writer, "state", state);
    }

    private static string Part(CheckpointEntry entry)
    {
        var (encoding, text) = PayloadFormatter.Describe(entry.Payload);
        return entry.Kind switch
        {
            GrainRecordKind.JournalEvent => $"journal state at v{entry.Version} {encoding}: {text}",
            GrainRecordKind.StateWrite => $"state '{entry.Name}' (written at v{entry.Version}) {encoding}: {text}",
            _ => $"state '{entry.Name}' cleared at v{entry.Version}",
        };
    }

    private static string KindName(GrainRecordKind kind) => kind switch
    {
        GrainRecordKind.JournalEvent => "journal-event",
        GrainRecordKind.StateWrite => "state-write",
        _ => "state-clear",
    };
}
