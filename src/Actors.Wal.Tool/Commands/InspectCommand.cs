using System.CommandLine;
using System.Globalization;
using Actors.Wal.Inspection;
using Actors.Wal.Tool.Output;
using Spectre.Console;

namespace Actors.Wal.Tool.Commands;

/// <summary><c>inspect &lt;dir&gt;</c>: segments, streams, recovery point, format version, total and reclaimable bytes.</summary>
internal static class InspectCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create(ToolConsole console)
    {
        var dir = CommonOptions.Directory();
        var json = CommonOptions.Json();
        var command = new Command("inspect", "Show the segments (id, size, LSN range, created, live ratio), stream count, recovery point, format version, total and reclaimable bytes. Read-only.") { dir, json };
        command.SetAction((result, _) => CommandGuard.RunAsync(console, () => LogTargets.ForEachAsync(
            console, result.GetRequiredValue(dir).FullName, result.GetValue(json), log => Task.FromResult(Run(console, log, result.GetValue(json))))));
        return command;
    }

    /// <summary>Scans the directory and prints the overview.</summary>
    public static int Run(ToolConsole console, string directory, bool json)
    {
        if (json)
        {
            console.Line(ReportJson.Inspect(LogInspector.Verify(directory)));
            return ExitCodes.Ok;
        }

        var report = console.WithProgress("Scanning segments", p => LogInspector.Verify(directory, p));
        var versions = report.Segments.Where(s => s.HeaderState is SegmentHeaderState.Ok or SegmentHeaderState.UnsupportedVersion)
            .Select(s => $"{s.FormatVersion} (min compatible {s.MinCompatibleVersion})").Distinct().ToList();
        int sealedCount = report.Segments.Count(s => s.IsSealed);
        var summary = console.NewTable("Property", "Value");
        summary.AddRow("Directory", Markup.Escape(report.Directory));
        summary.AddRow("Format version", versions.Count == 0 ? "none (no readable segment)" : string.Join(", ", versions));
        summary.AddRow("Encryption keys", EncryptionKeys(report));
        summary.AddRow("State", Markup.Escape(VerificationText.Describe(report)));
        summary.AddRow("Lock", report.IsLocked ? "held by a running process (read without the lock: the active segment's end may still be moving)" : "free");
        if (LogDirectories.SiloDataDirectoryOf(report.Directory) is { } silo)
        {
            summary.AddRow("Silo data directory", Markup.Escape($"{silo} ({(LogInspector.IsLockHeld(Path.Combine(silo, LogDirectories.SiloLockFileName)) ? "silo.lock held: a silo runs on it" : "silo.lock free: no silo runs on it")})"));
        }

        summary.AddRow("Segments", report.Segments.Count == 0 ? "0 (no NNNNNNNNNN.wal files: not a log directory?)" : $"{report.Segments.Count} ({sealedCount} sealed)");
        summary.AddRow("Streams", N(report.Streams.Count));
        summary.AddRow("Deleted streams", N(report.Streams.Values.Count(s => s.IsDeleted)));
        summary.AddRow("Records", N(report.Records));
        summary.AddRow("Highest LSN", N(report.MaxLsn));
        summary.AddRow("Recovery point", RecoveryPoint(report));
        summary.AddRow("Bytes on disk", $"{N(report.AllocatedBytes)} allocated to segment files (preallocated space included; file lengths {N(report.FileBytes)})");
        summary.AddRow("Record bytes", N(report.RecordBytes));
        summary.AddRow("Live bytes", N(report.LiveBytes));
        summary.AddRow("Reclaimable bytes", $"{N(report.ReclaimableBytes)} (dead records in sealed segments)");
        summary.AddRow("Damage", report.Findings.Count == 0 ? "none seen" : $"{report.Findings.Count} finding(s): run validate");
        console.Write(summary);

        var segments = console.NewTable("Segment", "File", "On disk", "Size", "Data", "Records", "LSN range", "Created (UTC)", "Live ratio", "State");
        foreach (var s in report.Segments)
        {
            segments.AddRow(
                s.Id.ToString(CultureInfo.InvariantCulture),
                s.FileName,
                N(s.AllocatedBytes),
                N(s.FileLength),
                N(s.DataEnd),
                N(s.Records),
                s.MaxLsn == 0 ? "-" : $"{s.MinLsn}..{s.MaxLsn}",
                s.CreatedAt?.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) ?? "-",
                s.RecordBytes == 0 ? "-" : s.LiveRatio.ToString("P1", CultureInfo.InvariantCulture),
                State(report, s));
        }

        console.Write(segments);
        return ExitCodes.Ok;
    }

    /// <summary>The keys the segment headers name (each segment's payloads need its key): what a key file must still hold.</summary>
    private static string EncryptionKeys(LogVerification report)
    {
        var byKey = report.Segments.Where(s => s.HeaderState == SegmentHeaderState.Ok).GroupBy(s => s.KeyId).OrderBy(g => g.Key).ToList();
        if (byKey.TrueForAll(g => g.Key == 0))
        {
            return "none (payloads not encrypted)";
        }

        return string.Join(", ", byKey.Select(g => g.Key == 0 ? $"unencrypted ({g.Count()} segment(s))" : $"key {g.Key} ({g.Count()} segment(s))"));
    }

    private static string RecoveryPoint(LogVerification report)
    {
        if (report.RecoveryPoint is { } snap)
        {
            string when = (snap.CleanShutdown, report.IsLocked) switch
            {
                (true, true) => "written at the last clean shutdown, before the running process opened the log",
                (true, false) => "written at a clean shutdown",
                (false, _) => "written at a segment rotation",
            };
            return $"segment {snap.Segment} offset {snap.Offset} ({when}; next LSN {snap.NextLsn}, {snap.IndexedStreams} streams indexed)";
        }

        return report.SnapshotPresent ? "index.snapshot or the index.delta that extends it is damaged: open scans every segment" : "none (no index.snapshot: open scans every segment)";
    }

    private static string State(LogVerification report, InspectedSegment s)
    {
        if (s.HeaderState != SegmentHeaderState.Ok)
        {
            return $"header {s.HeaderState}";
        }

        string state = s.IsSealed ? "sealed" : ReferenceEquals(s, report.Segments[^1]) ? "active" : "unsealed";
        return s.DamagedRecords > 0 ? $"{state}, {s.DamagedRecords} damaged" : state;
    }

    private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
