using System.CommandLine;
using Actors.Wal.Tool.Commands;
using Actors.Wal.Tool.Output;

namespace Actors.Wal.Tool;

/// <summary>The actors-wal command line, runnable in-process (tests call <see cref="RunAsync"/> with string writers).</summary>
internal static class ToolApp
{
    /// <summary>Parses <paramref name="args"/>, runs the command and returns the exit code (see <see cref="ExitCodes"/>).</summary>
    /// <param name="args">The command line arguments.</param>
    /// <param name="stdout">Standard output.</param>
    /// <param name="stderr">Standard error.</param>
    /// <param name="interactive">True on a terminal: colors, rounded tables, progress bars. False: plain text.</param>
    /// <param name="cancellationToken">Cancels the command.</param>
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, bool interactive = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        var console = new ToolConsole(stdout, stderr, interactive);
        var root = new RootCommand("actors-wal: look inside an Actors log directory without the silo. inspect, validate, dump and stats never modify a byte and work while a silo runs; compact needs the directory lock.")
        {
            InspectCommand.Create(console),
            ValidateCommand.Create(console),
            DumpCommand.Create(console),
            CompactCommand.Create(console),
            StatsCommand.Create(console),
            StreamsCommand.Create(console),
            BackupCommand.CreateBackup(console),
            BackupCommand.CreateRestore(console),
        };
        var configuration = new InvocationConfiguration { Output = stdout, Error = stderr };
        int code = await root.Parse(args).InvokeAsync(configuration, cancellationToken).ConfigureAwait(false);
        await stdout.FlushAsync(cancellationToken).ConfigureAwait(false);
        return code;
    }
}
