using System.CommandLine;
using System.Globalization;
using Actors.Wal.Tool.Output;

namespace Actors.Wal.Tool.Commands;

/// <summary><c>backup &lt;dir&gt; &lt;dest&gt;</c> and <c>restore &lt;backup&gt; &lt;dest&gt;</c>: an online copy of a log directory and its restore (<see cref="LogBackup"/>).</summary>
internal static class BackupCommand
{
    /// <summary>Creates the backup command.</summary>
    public static Command CreateBackup(ToolConsole console)
    {
        var dir = new Argument<DirectoryInfo>("dir") { Description = "The log directory (it may be open in a running silo: no lock is taken and nothing in it is modified)." };
        var dest = new Argument<DirectoryInfo>("dest") { Description = "The backup directory: created when missing; must be empty." };
        var command = new Command("backup", "Copy a log directory consistently while a silo may be writing to it: the manifest and every live segment, the active one up to its last complete record. Holds every event acknowledged before the command started. Restore it with 'restore'.")
        {
            dir, dest,
        };
        command.SetAction((result, ct) => CommandGuard.RunAsync(console, () =>
        {
            var backup = LogBackup.Backup(result.GetRequiredValue(dir).FullName, result.GetRequiredValue(dest).FullName);
            console.Line($"Backed up {N(backup.Segments)} segment(s), {N(backup.Bytes)} bytes, up to LSN {N(backup.LastLsn)} into {backup.Directory} ({backup.Attempts} attempt(s)).");
            return Task.FromResult(ExitCodes.Ok);
        }));
        return command;
    }

    /// <summary>Creates the restore command.</summary>
    public static Command CreateRestore(ToolConsole console)
    {
        var backup = new Argument<DirectoryInfo>("backup") { Description = "A directory written by 'backup'." };
        var dest = new Argument<DirectoryInfo>("dest") { Description = "The log directory to create: created when missing; must be empty." };
        var toLsn = new Option<long?>("--to-lsn") { Description = "Restore the log as it was up to this LSN (inclusive); a batch of events that straddles it is left out whole." };
        var toTime = new Option<string?>("--to-time") { Description = "Restore the log as it was at this time (records appended at or before it), ISO 8601, e.g. 2026-11-21T05:00:00Z." };
        var command = new Command("restore", "Restore a backup into an empty log directory and open it once (every record is checked; a damaged one fails the restore, exit 2). With --to-lsn or --to-time, restore it as it was at that point; a point below what space management had reclaimed when the backup was taken is refused (exit 1), naming the reclaimed segments.")
        {
            backup, dest, toLsn, toTime,
        };
        command.SetAction((result, ct) => CommandGuard.RunAsync(console, async () =>
        {
            string from = result.GetRequiredValue(backup).FullName;
            string into = result.GetRequiredValue(dest).FullName;
            long? lsn = result.GetValue(toLsn);
            string? time = result.GetValue(toTime);
            RestorePoint? point = null;
            if (lsn is not null && time is not null)
            {
                await console.Error.WriteLineAsync("error: give --to-lsn or --to-time, not both.").ConfigureAwait(false);
                return ExitCodes.Error;
            }

            if (lsn is { } l)
            {
                if (l < 0)
                {
                    await console.Error.WriteLineAsync($"error: --to-lsn {l} is negative.").ConfigureAwait(false);
                    return ExitCodes.Error;
                }

                point = RestorePoint.ToLsn(l);
            }
            else if (time is not null)
            {
                if (!DateTimeOffset.TryParse(time, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t))
                {
                    await console.Error.WriteLineAsync($"error: --to-time '{time}' is not a timestamp; use ISO 8601, e.g. 2026-11-21T05:00:00Z.").ConfigureAwait(false);
                    return ExitCodes.Error;
                }

                point = RestorePoint.ToTime(t);
            }

            var restored = point is { } p
                ? await LogBackup.RestoreToPointAsync(from, into, p, LogOpener.Keys(), ct).ConfigureAwait(false)
                : await LogBackup.RestoreAsync(from, into, LogOpener.Keys(), ct).ConfigureAwait(false);
            console.Line($"Restored {N(restored.Streams)} stream(s) in {N(restored.Segments)} segment(s), up to LSN {N(restored.LastLsn)}{(point is { } q ? $" (point: {q})" : "")}, into {restored.Directory}.");
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
