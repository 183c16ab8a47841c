using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Actors.Wal.Tool.Output;
using Actors.Wal.Inspection;
using Spectre.Console;

namespace Actors.Wal.Tool.Commands;

/// <summary><c>stats &lt;dir&gt; [--json]</c>: what recovery finds when the log is opened (read-only), and its space accounting.</summary>
internal static class StatsCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create(ToolConsole console)
    {
        var dir = CommonOptions.Directory();
        var json = CommonOptions.Json();
        var mode = CommonOptions.RecoveryMode();
        var command = new Command("stats", "Open the log read-only as the silo would and print the recovery statistics (segments scanned, records, streams, torn bytes, notes, duration) and space accounting. Read-only: nothing is truncated.")
        {
            dir, json, mode,
        };
        command.SetAction((result, ct) => CommandGuard.RunAsync(console, () => LogTargets.ForEachAsync(
            console, result.GetRequiredValue(dir).FullName, result.GetValue(json), log => RunAsync(console, log, result.GetValue(json), result.GetValue(mode), ct))));
        return command;
    }

    /// <summary>Opens the log read-only and prints its statistics.</summary>
    public static async Task<int> RunAsync(ToolConsole console, string directory, bool json, RecoveryMode mode, CancellationToken cancellationToken)
    {
        string dir = Path.GetFullPath(directory);
        bool live = LogInspector.IsLockHeld(Path.Combine(dir, WriteAheadLog.LockFileName));
        LogStatistics stats;
        await using (var log = await LogOpener.OpenAsync(directory, readOnly: true, mode, cancellationToken).ConfigureAwait(false))
        {
            stats = log.GetStatistics();
        }

        if (json)
        {
            console.Line(ToJson(dir, mode, stats, live));
            return ExitCodes.Ok;
        }

        var r = stats.Recovery;
        var table = console.NewTable("Statistic", "Value");
        table.AddRow("Directory", Markup.Escape(dir));
        table.AddRow("Log state", live ? "live: a running process has the log open (its LOCK is held); below is what opening it read-only finds now" : "not open: no process holds the LOCK");
        table.AddRow("Recovery mode", mode.ToString());
        table.AddRow("Segments", N(r.Segments));
        table.AddRow("Segments scanned", $"{N(r.SegmentsScanned)} (the others are covered by the recovery snapshot)");
        table.AddRow("Records scanned", N(r.RecordsScanned));
        table.AddRow("Streams", N(r.Streams));
        table.AddRow("Segment data bytes", N(r.Bytes));
        table.AddRow("Torn tail bytes", $"{N(r.TruncatedBytes)} (read-only: reported, not truncated)");
        table.AddRow("Corrupted records skipped", N(r.CorruptedRecords));
        table.AddRow("Clean shutdown", CleanShutdown(stats, live));
        table.AddRow("Recovery duration", $"{r.Duration.TotalMilliseconds.ToString("F1", CultureInfo.InvariantCulture)} ms");
        table.AddRow("Record bytes", N(stats.TotalBytes));
        table.AddRow("Live bytes", N(stats.LiveBytes));
        table.AddRow("Reclaimable bytes", N(stats.ReclaimableBytes));
        table.AddRow("Last LSN", N(stats.WrittenLsn));
        console.Write(table);
        console.Line(r.Notes.Count == 0 ? "Recovery notes: none" : "Recovery notes:");
        foreach (string note in r.Notes)
        {
            console.Line($"  {note}");
        }

        return ExitCodes.Ok;
    }

    /// <summary>Whether the last process closed the log cleanly: not asked of a live log, nor of one that never held a record.</summary>
    private static string CleanShutdown(LogStatistics stats, bool live) => (live, stats.Recovery.Segments, stats.Recovery.CleanShutdown) switch
    {
        (true, _, _) => "n/a: the log is open in a running process (it has not shut down)",
        (false, 0, _) => "n/a: empty log (no segment yet: nothing was ever written)",
        (false, _, true) => "yes",
        _ => "no: the last process stopped without closing the log (crash, kill or power loss); recovery scanned after the recovery point",
    };

    private static string ToJson(string directory, RecoveryMode mode, LogStatistics stats, bool live)
    {
        var r = stats.Recovery;
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("directory", directory);
            w.WriteString("recoveryMode", mode.ToString());
            w.WriteBoolean("live", live);
            w.WriteStartObject("recovery");
            w.WriteNumber("segments", r.Segments);
            w.WriteNumber("segmentsScanned", r.SegmentsScanned);
            w.WriteNumber("recordsScanned", r.RecordsScanned);
            w.WriteNumber("streams", r.Streams);
            w.WriteNumber("bytes", r.Bytes);
            w.WriteNumber("truncatedBytes", r.TruncatedBytes);
            w.WriteNumber("corruptedRecords", r.CorruptedRecords);
            if (live || r.Segments == 0)
            {
                w.WriteNull("cleanShutdown");
            }
            else
            {
                w.WriteBoolean("cleanShutdown", r.CleanShutdown);
            }

            w.WriteNumber("durationMs", r.Duration.TotalMilliseconds);
            w.WriteStartArray("notes");
            foreach (string note in r.Notes)
            {
                w.WriteStringValue(note);
            }

            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteStartObject("space");
            w.WriteNumber("segmentCount", stats.SegmentCount);
            w.WriteNumber("streamCount", stats.StreamCount);
            w.WriteNumber("totalBytes", stats.TotalBytes);
            w.WriteNumber("liveBytes", stats.LiveBytes);
            w.WriteNumber("reclaimableBytes", stats.ReclaimableBytes);
            w.WriteNumber("lastLsn", stats.WrittenLsn);
            w.WriteEndObject();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
