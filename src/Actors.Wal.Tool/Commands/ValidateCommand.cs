using System.CommandLine;
using System.Globalization;
using Actors.Wal.Inspection;
using Actors.Wal.Tool.Output;

namespace Actors.Wal.Tool.Commands;

/// <summary><c>validate &lt;dir&gt;</c>: a full read-only scan; exit 0 clean, 2 damage, 1 usage or I/O error.</summary>
internal static class ValidateCommand
{
    /// <summary>How many times a live directory is scanned before a finding is believed.</summary>
    private const int LiveRescans = 3;

    /// <summary>Creates the command.</summary>
    public static Command Create(ToolConsole console)
    {
        var dir = CommonOptions.Directory();
        var allowTornTail = new Option<bool>("--allow-torn-tail")
        {
            Description = "Report a torn tail but do not count it as damage (exit 0): it is an append that never completed, which opening the log truncates.",
        };
        var json = CommonOptions.Json();
        var command = new Command("validate", "Check every segment header and record checksum, record bodies, seals and that no needed record is missing. Prints each damaged location. Exit code 0 clean, 2 damage found, 1 usage or I/O error. Read-only: a torn tail is reported, never truncated.")
        {
            dir,
            allowTornTail,
            json,
        };
        command.SetAction((result, _) => CommandGuard.RunAsync(console, () => LogTargets.ForEachAsync(
            console, result.GetRequiredValue(dir).FullName, result.GetValue(json), log => Task.FromResult(Run(console, log, result.GetValue(allowTornTail), result.GetValue(json))))));
        return command;
    }

    /// <summary>Scans the directory and prints every finding.</summary>
    public static int Run(ToolConsole console, string directory, bool allowTornTail, bool json)
    {
        var report = json ? LogInspector.Verify(directory) : console.WithProgress("Validating", p => LogInspector.Verify(directory, p));
        for (int attempt = 1; attempt < LiveRescans && NeedsRescan(report); attempt++)
        {
            // A concurrent write can be seen half done (a later page before an earlier one), a rotation or a space
            // pass can happen between reading the snapshot and the segments: look again.
            report = LogInspector.Verify(directory);
        }

        if (report.Segments.Count == 0)
        {
            console.Error.WriteLine($"error: no segment files (NNNNNNNNNN.wal) in {report.Directory}: not a log directory, or a log that was never opened.");
            return ExitCodes.Error;
        }

        var (code, verdict, line) = Verdict(report, allowTornTail);
        if (json)
        {
            console.Line(ReportJson.Validate(report, verdict));
            return code;
        }

        console.Line($"Validated {report.Directory}: {report.Segments.Count} segment(s), {N(report.FileBytes)} bytes, {N(report.Records)} valid record(s), {N(report.Streams.Count)} stream(s); {VerificationText.Describe(report)}.");
        if (report.IsLocked)
        {
            console.Line("Note: a running process holds the LOCK file; the end of the active segment may be an append in flight (seen as a torn tail).");
        }

        foreach (string note in report.Notes)
        {
            console.Line($"Note: {note}.");
        }

        foreach (var finding in report.Findings)
        {
            console.Line(VerificationText.Line(finding));
        }

        console.Line(line);
        return code;
    }

    private static (int Code, string Verdict, string Line) Verdict(LogVerification report, bool allowTornTail)
    {
        if (report.HasDamage(allowTornTail))
        {
            var counts = report.Findings.GroupBy(f => VerificationText.KindLabel(f.Kind)).Select(g => $"{g.Count()} {g.Key.ToLowerInvariant()}");
            return (ExitCodes.Damage, "damaged", $"Result: DAMAGED: {report.Findings.Count} finding(s) ({string.Join(", ", counts)}).");
        }

        if (report.Findings.Any(f => f.Kind == LogFindingKind.UnsupportedVersion))
        {
            return (ExitCodes.Error, "cannot-check", "Result: CANNOT CHECK: a file was written by a newer format version; use a newer actors-wal.");
        }

        return report.Findings.Count == 0
            ? (ExitCodes.Ok, "clean", "Result: CLEAN.")
            : (ExitCodes.Ok, "clean-with-torn-tail", "Result: CLEAN apart from a torn tail (allowed by --allow-torn-tail).");
    }

    /// <summary>True when a running process holds the directory and the scan found something.</summary>
    private static bool NeedsRescan(LogVerification report) => report.IsLocked && report.Findings.Count > 0;

    private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
