using System.Text.Json;
using Actors.Orleans;
using Actors.Orleans.Format;
using Actors.Orleans.Storage;

namespace Actors.Wal.Tool.Output;

/// <summary>
/// Shows what the Orleans providers write (src/Actors.Orleans/Format, envelope 0xB1, <see cref="LogValueRecord"/>): each
/// record's kind, the codec that wrote it, the value's type name when the record stores one, and the payload (JSON when
/// it is JSON, as System.Text.Json writes it; otherwise hex: the Orleans serializer's and MessagePack's bytes need the
/// grain's types). Payloads without the envelope (an engine used directly) are shown as they are; a record that starts
/// with the envelope's magic but does not parse says why.
/// </summary>
internal static class GrainPayloadFormatter
{
    /// <summary>The grain a stream id names (<c>state 'profile' of user/ada (provider 'Default')</c>), or null when it names none.</summary>
    public static string? DescribeStream(string streamId) => GrainStreamName.TryParse(streamId, out GrainStreamName name)
        ? name.Kind == GrainStreamKind.Journal
            ? $"events of {name.GrainId} (log-consistency provider '{name.Provider}')"
            : $"state '{name.StateName}' of {name.GrainId} (grain storage provider '{name.Provider}')"
        : null;

    /// <summary>Writes <c>grain</c>, <c>streamKind</c>, <c>provider</c> and <c>stateName</c> when the stream id names a grain.</summary>
    public static void WriteStream(Utf8JsonWriter writer, string streamId)
    {
        if (!GrainStreamName.TryParse(streamId, out GrainStreamName name))
        {
            return;
        }

        writer.WriteString("grain", name.GrainId);
        writer.WriteString("streamKind", name.Kind == GrainStreamKind.Journal ? "journal" : "state");
        writer.WriteString("provider", name.Provider);
        if (name.StateName is not null)
        {
            writer.WriteString("stateName", name.StateName);
        }
    }

    /// <summary>One line for an event record's payload: <c>event 'MyEvent' codec SystemTextJson json: {...}</c>, or the raw payload.</summary>
    public static string DescribeEvent(ReadOnlyMemory<byte> payload, bool raw)
    {
        string? error = null;
        if (!raw && TryRead(payload, out LogValueRecord record, out error))
        {
            return Describe(record);
        }

        var (encoding, text) = PayloadFormatter.Describe(payload);
        return error is null ? $"{encoding}: {text}" : $"undecoded ({error}) {encoding}: {text}";
    }

    /// <summary>The summary and lines of a checkpoint's state: the decoded record, or the raw state.</summary>
    public static (string Summary, IReadOnlyList<string> Lines) DescribeCheckpoint(ReadOnlyMemory<byte> state, bool raw)
    {
        string? error = null;
        if (!raw && TryRead(state, out LogValueRecord record, out error))
        {
            return ($"{KindName(record.Kind)}, codec {record.Codec}", [Describe(record)]);
        }

        var (encoding, text) = PayloadFormatter.Describe(state);
        return (error is null ? encoding : $"undecoded ({error}) {encoding}", [text]);
    }

    /// <summary>Writes a record's <c>kind</c>, <c>codec</c>, <c>typeName</c>, <c>origin</c> and payload, or the raw payload under <paramref name="name"/>.</summary>
    public static void WriteRecord(Utf8JsonWriter writer, string name, ReadOnlyMemory<byte> payload, bool raw)
    {
        string? error = null;
        if (!raw && TryRead(payload, out LogValueRecord record, out error))
        {
            writer.WriteString("kind", KindName(record.Kind));
            writer.WriteString("codec", record.Codec.ToString());
            if (record.TypeName.Length > 0)
            {
                writer.WriteString("typeName", record.TypeName);
            }

            if (record.Origin is { } origin)
            {
                writer.WriteNumber("origin", origin);
            }

            if (HasValue(record.Kind))
            {
                PayloadFormatter.Write(writer, name, record.Payload);
            }

            return;
        }

        if (error is not null)
        {
            writer.WriteString("undecoded", error);
        }

        PayloadFormatter.Write(writer, name, payload);
    }

    /// <summary>Parses the envelope; <paramref name="error"/> is null when the bytes do not start with its magic (not a provider's record).</summary>
    private static bool TryRead(ReadOnlyMemory<byte> payload, out LogValueRecord record, out string? error)
    {
        if (payload.IsEmpty || payload.Span[0] != LogValueRecord.Magic)
        {
            (record, error) = (default, null);
            return false;
        }

        bool read = LogValueRecord.TryRead(payload, out record, out string reason);
        error = read ? null : reason;
        return read;
    }

    private static string Describe(LogValueRecord record)
    {
        string type = record.TypeName.Length > 0 ? $" '{record.TypeName}'" : "";
        string origin = record.Origin is { } o ? $" origin {o}" : "";
        if (!HasValue(record.Kind))
        {
            return $"{KindName(record.Kind)}{origin} (no value)";
        }

        var (encoding, text) = PayloadFormatter.Describe(record.Payload);
        return $"{KindName(record.Kind)}{type}{origin} codec {record.Codec} {encoding}: {text}";
    }

    private static bool HasValue(LogValueKind kind) => kind is not (LogValueKind.ClearedState or LogValueKind.JournalReset);

    private static string KindName(LogValueKind kind) => kind switch
    {
        LogValueKind.State => "state",
        LogValueKind.ClearedState => "cleared-state",
        LogValueKind.Event => "event",
        LogValueKind.Snapshot => "snapshot",
        LogValueKind.JournalReset => "journal-reset",
        _ => $"kind-{(byte)kind}",
    };
}
