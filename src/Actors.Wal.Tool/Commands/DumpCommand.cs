using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Actors.Wal.Tool.Output;

namespace Actors.Wal.Tool.Commands;

/// <summary><c>dump &lt;dir&gt; --stream &lt;id&gt; [--to-version N | --at T] [--json]</c>: one stream's checkpoint and events as of a point.</summary>
internal static class DumpCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create(ToolConsole console)
    {
        var dir = CommonOptions.Directory();
        var stream = new Option<string>("--stream", "-s") { Description = "The stream id, e.g. j/WriteAheadLog/account/42 (actors-wal streams lists them).", Required = true };
        var toVersion = new Option<long?>("--to-version") { Description = "Show the stream as of this version (inclusive)." };
        var at = new Option<string?>("--at") { Description = "Show the stream as of this time (records appended at or before it), ISO 8601, e.g. 2026-11-21T05:00:00Z." };
        var json = CommonOptions.Json();
        var mode = CommonOptions.RecoveryMode();
        var raw = new Option<bool>("--raw") { Description = "Show payloads as stored, without decoding the Orleans providers' envelope." };
        var command = new Command("dump", "Print one stream's checkpoint and events as of a version or a time (latest by default). The Orleans providers' records are decoded: grain, kind, codec and type name; payloads as JSON when they are JSON, otherwise hex. Read-only.")
        {
            dir, stream, toVersion, at, json, mode, raw,
        };
        command.SetAction((result, ct) => CommandGuard.RunAsync(console, () => RunAsync(
            console,
            result.GetRequiredValue(dir).FullName,
            result.GetRequiredValue(stream),
            new DumpFormat(result.GetValue(toVersion), result.GetValue(at), result.GetValue(json), result.GetValue(raw)),
            result.GetValue(mode),
            ct)));
        return command;
    }

    /// <summary>Opens the log read-only and prints the stream.</summary>
    public static async Task<int> RunAsync(ToolConsole console, string directory, string streamId, DumpFormat format, RecoveryMode mode, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(format);
        (long? toVersion, string? at, bool json) = (format.ToVersion, format.At, format.Json);
        if (toVersion is not null && at is not null)
        {
            await console.Error.WriteLineAsync("error: use either --to-version or --at, not both.").ConfigureAwait(false);
            return ExitCodes.Error;
        }

        if (toVersion is < 0)
        {
            await console.Error.WriteLineAsync("error: --to-version must be 0 or more.").ConfigureAwait(false);
            return ExitCodes.Error;
        }

        var bound = ReadBound.Latest;
        if (toVersion is { } v)
        {
            bound = ReadBound.AtVersion(v);
        }
        else if (at is not null)
        {
            if (!DateTimeOffset.TryParse(at, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
            {
                await console.Error.WriteLineAsync($"error: --at '{at}' is not a timestamp; use ISO 8601, e.g. 2026-11-21T05:00:00Z.").ConfigureAwait(false);
                return ExitCodes.Error;
            }

            bound = ReadBound.AtTime(time);
        }

        IReadOnlyList<string> logs = LogDirectories.Find(directory);
        foreach (string logDirectory in logs)
        {
            await using var log = await LogOpener.OpenAsync(logDirectory, readOnly: true, mode, cancellationToken).ConfigureAwait(false);
            if (log.GetStreamInfo(streamId).IsEmpty)
            {
                continue;
            }

            var result = await log.ReadStreamAsync(streamId, bound, cancellationToken).ConfigureAwait(false);
            if (json)
            {
                console.Line(ToJson(result, bound, format.Raw));
            }
            else
            {
                if (logDirectory != Path.GetFullPath(directory))
                {
                    console.Line($"Log {logDirectory} (found under {Path.GetFullPath(directory)})");
                }

                WriteText(console, result, bound, format.Raw);
            }

            return ExitCodes.Ok;
        }

        await console.Error.WriteLineAsync($"error: the stream '{streamId}' is not in the log {string.Join(", ", logs)}; 'actors-wal streams <dir>' lists the stream ids (an Orleans grain's: s/{{provider}}/{{state}}/{{grain id}} or j/{{provider}}/{{grain id}}).").ConfigureAwait(false);
        return ExitCodes.Error;
    }

    private static string Describe(ReadBound bound) => bound.ToVersion is { } v ? $"version {v}"
        : bound.AsOf is { } t ? t.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture)
        : "latest";

    private static string Time(DateTimeOffset t) => t.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);

    private static void WriteText(ToolConsole console, StreamReadResult result, ReadBound bound, bool raw)
    {
        console.Line($"Stream: {result.StreamId}");
        if (GrainPayloadFormatter.DescribeStream(result.StreamId) is { } grain)
        {
            console.Line($"Grain: {grain}");
        }

        console.Line($"As of: {Describe(bound)}");
        console.Line($"Version: {result.Version}{(result.IsDeleted ? " (deleted)" : "")}");
        if (result.Checkpoint is { } c)
        {
            var (summary, lines) = GrainPayloadFormatter.DescribeCheckpoint(c.State, raw);
            console.Line($"Checkpoint: version {c.Version}, LSN {c.Lsn}, {Time(c.Timestamp)}, {c.State.Length} bytes ({summary})");
            foreach (string line in lines)
            {
                console.Line($"  {line}");
            }
        }
        else
        {
            console.Line("Checkpoint: none");
        }

        console.Line($"Events: {result.Events.Count}");
        foreach (var e in result.Events)
        {
            console.Line($"  v{e.Version} LSN {e.Lsn} {Time(e.Timestamp)} {e.Payload.Length} bytes {GrainPayloadFormatter.DescribeEvent(e.Payload, raw)}");
        }
    }

    private static string ToJson(StreamReadResult result, ReadBound bound, bool raw)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("stream", result.StreamId);
            GrainPayloadFormatter.WriteStream(w, result.StreamId);
            w.WriteString("asOf", Describe(bound));
            w.WriteNumber("version", result.Version);
            w.WriteBoolean("isDeleted", result.IsDeleted);
            if (result.Checkpoint is { } c)
            {
                w.WriteStartObject("checkpoint");
                w.WriteNumber("version", c.Version);
                w.WriteNumber("lsn", c.Lsn);
                w.WriteString("timestamp", c.Timestamp.ToUniversalTime());
                w.WriteNumber("bytes", c.State.Length);
                GrainPayloadFormatter.WriteRecord(w, "state", c.State, raw);
                w.WriteEndObject();
            }
            else
            {
                w.WriteNull("checkpoint");
            }

            w.WriteStartArray("events");
            foreach (var e in result.Events)
            {
                w.WriteStartObject();
                w.WriteNumber("version", e.Version);
                w.WriteNumber("lsn", e.Lsn);
                w.WriteString("timestamp", e.Timestamp.ToUniversalTime());
                w.WriteNumber("bytes", e.Payload.Length);
                GrainPayloadFormatter.WriteRecord(w, "payload", e.Payload, raw);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
