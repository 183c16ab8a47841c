using System.CommandLine;

namespace Actors.Wal.Tool.Commands;

/// <summary>Arguments and options shared by several commands.</summary>
internal static class CommonOptions
{
    /// <summary>The log directory argument.</summary>
    public static Argument<DirectoryInfo> Directory() => new("dir") { Description = "A log directory (holding NNNNNNNNNN.wal segments) or a silo data directory: the logs below it are found (the default store's is <data directory>/wal)." };

    /// <summary>The --json switch.</summary>
    public static Option<bool> Json() => new("--json") { Description = "Write JSON instead of tables." };

    /// <summary>The --recovery-mode option for commands that open the log through the engine.</summary>
    public static Option<RecoveryMode> RecoveryMode() => new("--recovery-mode")
    {
        Description = "How damaged records are treated when the log is opened: TolerateTornTail (default), AbsoluteConsistency, or Salvage (skip damaged records, keep every valid one).",
        DefaultValueFactory = _ => Wal.RecoveryMode.TolerateTornTail,
    };
}
