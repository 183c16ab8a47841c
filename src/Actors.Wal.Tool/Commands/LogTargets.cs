using Actors.Wal.Tool.Output;

namespace Actors.Wal.Tool.Commands;

/// <summary>Runs a command on every log at or below the directory given (a log directory or a silo data directory).</summary>
internal static class LogTargets
{
    /// <summary>
    /// Runs <paramref name="action"/> on each log found by <see cref="LogDirectories.Find"/>. In text mode a line names
    /// the log when it is not the directory given; with <paramref name="json"/> several logs are refused (one JSON
    /// document per run). Returns the highest exit code.
    /// </summary>
    public static async Task<int> ForEachAsync(ToolConsole console, string directory, bool json, Func<string, Task<int>> action)
    {
        IReadOnlyList<string> logs = LogDirectories.Find(directory);
        string given = Path.GetFullPath(directory);
        if (json && logs.Count > 1)
        {
            await console.Error.WriteLineAsync($"error: {logs.Count} logs under {given} ({string.Join(", ", logs)}); --json reads one: pass its directory.").ConfigureAwait(false);
            return ExitCodes.Error;
        }

        int code = ExitCodes.Ok;
        foreach (string log in logs)
        {
            if (!json && log != given)
            {
                console.Line($"Log {log} (found under {given})");
            }

            code = Math.Max(code, await action(log).ConfigureAwait(false));
        }

        return code;
    }
}
