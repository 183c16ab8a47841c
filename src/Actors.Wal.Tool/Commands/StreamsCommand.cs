using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Actors.Wal.Inspection;
using Actors.Wal.Tool.Output;
using Spectre.Console;

namespace Actors.Wal.Tool.Commands;

/// <summary><c>streams &lt;dir&gt; [--prefix p] [--json]</c>: every stream id with its version, checkpoint and size.</summary>
internal static class StreamsCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create(ToolConsole console)
    {
        var dir = CommonOptions.Directory();
        var prefix = new Option<string?>("--prefix", "-p") { Description = "Only streams whose id starts with this, e.g. account/ (a grain's stream id is its grain id: type/key)." };
        var json = CommonOptions.Json();
        var command = new Command("streams", "List the streams (id, version, checkpoint version, records, bytes, segments, last write); a grain's stream is named by its grain id, e.g. account/42. Read-only; works while a silo runs.")
        {
            dir, prefix, json,
        };
        command.SetAction((result, _) => CommandGuard.RunAsync(console, () => LogTargets.ForEachAsync(
            console, result.GetRequiredValue(dir).FullName, result.GetValue(json), log => Task.FromResult(Run(console, log, result.GetValue(prefix), result.GetValue(json))))));
        return command;
    }

    /// <summary>Scans the log and prints its streams sorted by id.</summary>
    public static int Run(ToolConsole console, string directory, string? prefix, bool json)
    {
        LogVerification report = json ? LogInspector.Verify(directory) : console.WithProgress("Scanning segments", p => LogInspector.Verify(directory, p));
        List<InspectedStream> streams = [.. report.Streams.Values
            .Where(s => prefix is null || s.Id.StartsWith(prefix, StringComparison.Ordinal))
            .OrderBy(s => s.Id, StringComparer.Ordinal)];
        if (json)
        {
            console.Line(ToJson(report, streams));
            return ExitCodes.Ok;
        }

        var table = console.NewTable("Stream", "Version", "Checkpoint", "Records", "Bytes", "Segments", "Last write (UTC)", "State");
        foreach (InspectedStream s in streams)
        {
            table.AddRow(
                Markup.Escape(s.Id),
                N(s.Version),
                s.CheckpointVersion == 0 ? "-" : $"v{N(s.CheckpointVersion)}",
                N(s.Records),
                N(s.Bytes),
                N(s.Segments.Count),
                s.LastWrite.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
                s.IsDeleted ? "deleted" : "");
        }

        console.Write(table);
        console.Line($"{N(streams.Count)} stream(s){(prefix is null ? "" : $" starting with '{prefix}'")} of {N(report.Streams.Count)} in {report.Directory}; {VerificationText.Describe(report)}.");
        if (report.Findings.Count > 0)
        {
            console.Line($"Damage: {report.Findings.Count} finding(s): run validate (the streams above are what the valid records show).");
        }

        return ExitCodes.Ok;
    }

    private static string ToJson(LogVerification report, List<InspectedStream> streams)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("directory", report.Directory);
            w.WriteBoolean("live", report.IsLocked);
            w.WriteNumber("findings", report.Findings.Count);
            w.WriteStartArray("streams");
            foreach (InspectedStream s in streams)
            {
                w.WriteStartObject();
                w.WriteString("id", s.Id);
                w.WriteNumber("version", s.Version);
                w.WriteNumber("checkpointVersion", s.CheckpointVersion);
                w.WriteNumber("records", s.Records);
                w.WriteNumber("bytes", s.Bytes);
                w.WriteNumber("segments", s.Segments.Count);
                w.WriteString("lastWrite", s.LastWrite);
                w.WriteBoolean("deleted", s.IsDeleted);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
