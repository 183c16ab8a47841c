using Actors.Wal.Inspection;

namespace Actors.Wal.Tool.Output;

/// <summary>How the tool prints what <see cref="LogInspector.Verify"/> reports: finding lines, kind labels and the log's state.</summary>
internal static class VerificationText
{
    /// <summary>A one-line, plain-text rendering of a finding: kind, location, message.</summary>
    public static string Line(LogFinding finding)
    {
        string where = finding.SegmentId is { } id ? $"segment {id} ({finding.File})" : finding.File;
        string at = finding.Offset is { } o ? $" offset {o}" : "";
        return $"{KindLabel(finding.Kind)}: {where}{at}: {finding.Message}";
    }

    /// <summary>The kind as printed.</summary>
    public static string KindLabel(LogFindingKind kind) => kind switch
    {
        LogFindingKind.Corruption => "CORRUPTION",
        LogFindingKind.TornTail => "TORN TAIL",
        LogFindingKind.Missing => "MISSING",
        LogFindingKind.Snapshot => "SNAPSHOT",
        _ => "UNSUPPORTED VERSION",
    };

    /// <summary>The state as printed in JSON: <c>live</c>, <c>empty</c>, <c>closed-cleanly</c> or <c>not-closed-cleanly</c>.</summary>
    public static string StateName(LogDirectoryState state) => state switch
    {
        LogDirectoryState.Live => "live",
        LogDirectoryState.Empty => "empty",
        LogDirectoryState.ClosedCleanly => "closed-cleanly",
        _ => "not-closed-cleanly",
    };

    /// <summary>One line saying whether the log is live, closed cleanly, left by a crash, or empty.</summary>
    public static string Describe(LogVerification report) => report.State switch
    {
        LogDirectoryState.Live => "live: a running process has the log open (its LOCK is held); what is read is the prefix written so far",
        LogDirectoryState.Empty => "empty: nothing has been written to this log yet",
        LogDirectoryState.ClosedCleanly => "closed cleanly: the last process closed the log (opening it scans nothing)",
        _ => "not closed cleanly: the last process stopped without closing the log (crash, kill, power loss); opening it recovers by scanning after the recovery point",
    };
}
