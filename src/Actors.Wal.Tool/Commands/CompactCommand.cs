using System.CommandLine;
using System.Globalization;
using Actors.Wal.Tool.Output;

namespace Actors.Wal.Tool.Commands;

/// <summary><c>compact &lt;dir&gt;</c>: takes the lock, runs a space pass offline and prints what it freed.</summary>
internal static class CompactCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create(ToolConsole console)
    {
        var dir = CommonOptions.Directory();
        var liveRatio = new Option<double>("--live-ratio")
        {
            Description = "Compact sealed segments whose live bytes are below this fraction (0 < ratio < 1). Default: the engine's default, 0.5.",
            DefaultValueFactory = _ => WriteAheadLogOptions.DefaultCompactionLiveRatio,
        };
        var reclaimHistory = new Option<bool>("--reclaim-history")
        {
            Description = "Also reclaim the events that checkpoints cover (right only for a grain store with EventHistory = ReclaimAfterCheckpoint). "
                + "Default: keep every stored event, as KeepAll, KeepFor and KeepLastVersions stores need (the silo trims those by itself).",
        };
        var command = new Command("compact", "Reclaim space offline: delete sealed segments with no live record and copy the live records of mostly-dead segments forward. Needs the directory lock: fails (exit 1) while a silo runs. Modifies the directory.")
        {
            dir, liveRatio, reclaimHistory,
        };
        command.SetAction((result, ct) => CommandGuard.RunAsync(console, () => LogTargets.ForEachAsync(
            console, result.GetRequiredValue(dir).FullName, json: false, log => RunAsync(console, log, result.GetValue(liveRatio), result.GetValue(reclaimHistory), ct))));
        return command;
    }

    /// <summary>
    /// Opens the log with the lock, compacts, closes cleanly (writing a fresh recovery snapshot). Unless
    /// <paramref name="reclaimHistory"/>, the log is opened retaining checkpointed events, so the pass never takes history a
    /// grain store keeps (the store's policy is not recorded in the directory).
    /// </summary>
    public static async Task<int> RunAsync(ToolConsole console, string directory, double liveRatio, bool reclaimHistory, CancellationToken cancellationToken)
    {
        if (liveRatio is <= 0 or >= 1 || double.IsNaN(liveRatio))
        {
            await console.Error.WriteLineAsync($"error: --live-ratio {liveRatio.ToString(CultureInfo.InvariantCulture)} must be above 0 and below 1.").ConfigureAwait(false);
            return ExitCodes.Error;
        }

        string dir = Path.GetFullPath(directory);
        if (!Directory.Exists(dir))
        {
            throw new DirectoryNotFoundException($"The log directory '{dir}' does not exist.");
        }

        long diskBefore = SegmentFileBytes(dir);
        CompactionResult result;
        LogStatistics before;
        LogStatistics after;
        var log = await LogOpener.OpenAsync(dir, readOnly: false, RecoveryMode.TolerateTornTail, cancellationToken, liveRatio, retainCheckpointedEvents: !reclaimHistory).ConfigureAwait(false);
        await using (log.ConfigureAwait(false))
        {
            before = log.GetStatistics();
            foreach (string note in before.Recovery.Notes)
            {
                console.Line($"Recovery: {note}");
            }

            result = await log.CompactAsync(cancellationToken).ConfigureAwait(false);
            after = log.GetStatistics();
        }

        long diskAfter = SegmentFileBytes(dir);
        console.Line($"Compacted {dir} (lock held during the pass; live ratio threshold {liveRatio.ToString(CultureInfo.InvariantCulture)}; {(reclaimHistory ? "events covered by checkpoints reclaimed" : "every stored event kept; --reclaim-history reclaims those checkpoints cover")}).");
        console.Line($"Before: {before.SegmentCount} segment(s), {N(before.TotalBytes)} record bytes, {N(before.LiveBytes)} live, {N(diskBefore)} bytes allocated to segment files on disk.");
        console.Line($"Deleted {result.SegmentsDeleted} segment(s), compacted {result.SegmentsCompacted} ({result.StreamsRelocated} stream(s) copied forward), freed {N(result.BytesFreed)} bytes of segment data.");
        console.Line($"After: {after.SegmentCount} segment(s), {N(after.TotalBytes)} record bytes, {N(after.LiveBytes)} live, {N(diskAfter)} bytes allocated to segment files on disk ({N(diskBefore - diskAfter)} freed on disk).");
        return ExitCodes.Ok;
    }

    private static long SegmentFileBytes(string dir) => Inspection.LogInspector.AllocatedSegmentBytes(dir);

    private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
