using Actors.Wal.Tool.Output;

namespace Actors.Wal.Tool.Commands;

/// <summary>Turns the engine's and the file system's exceptions into a clear message and an exit code.</summary>
internal static class CommandGuard
{
    /// <summary>Runs <paramref name="action"/>, mapping known failures to <see cref="ExitCodes"/>.</summary>
    public static async Task<int> RunAsync(ToolConsole console, Func<Task<int>> action)
    {
        try
        {
            return await action().ConfigureAwait(false);
        }
        catch (LogDirectoryLockedException ex)
        {
            await console.Error.WriteLineAsync($"error: {ex.Message} compact needs exclusive access: stop the silo first. The read-only commands (inspect, validate, dump, stats) work while it runs.").ConfigureAwait(false);
            return ExitCodes.Error;
        }
        catch (LogCorruptedException ex)
        {
            await console.Error.WriteLineAsync($"damage: {ex.Message}").ConfigureAwait(false);
            await console.Error.WriteLineAsync("Run 'actors-wal validate <dir>' for every damaged location; see docs/operations.md (what to do when validate reports damage).").ConfigureAwait(false);
            return ExitCodes.Damage;
        }
        catch (UnsupportedFormatVersionException ex)
        {
            await console.Error.WriteLineAsync($"error: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.Error;
        }
        catch (EventsReclaimedException ex)
        {
            await console.Error.WriteLineAsync($"error: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.Error;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or InvalidOperationException or WalException)
        {
            await console.Error.WriteLineAsync($"error: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.Error;
        }
    }
}
