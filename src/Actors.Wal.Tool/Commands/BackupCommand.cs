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
        var command = new Command("restore", "Restore a backup into an empty log directory and open it once (every record is checked; a damaged one fails the restore, exit 2).")
        {
            backup, dest,
        };
        command.SetAction((result, ct) => CommandGuard.RunAsync(console, async () =>
        {
            var restored = await LogBackup.RestoreAsync(result.GetRequiredValue(backup).FullName, result.GetRequiredValue(dest).FullName, LogOpener.Keys(), ct).ConfigureAwait(false);
            console.Line($"Restored {N(restored.Streams)} stream(s) in {N(restored.Segments)} segment(s), up to LSN {N(restored.LastLsn)}, into {restored.Directory}.");
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
