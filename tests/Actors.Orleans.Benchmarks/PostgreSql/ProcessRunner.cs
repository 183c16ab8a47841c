using System.Diagnostics;

namespace Actors.Orleans.Benchmarks.PostgreSql;

/// <summary>Runs a command to completion and fails with its output when it exits non-zero.</summary>
internal static class ProcessRunner
{
    /// <summary>Runs <paramref name="file"/>; as root, PostgreSQL's tools run as the postgres user (they refuse root).</summary>
    public static async Task<string> RunAsync(string file, IReadOnlyList<string> arguments, bool asPostgresUser = false)
    {
        var start = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (asPostgresUser && Environment.IsPrivilegedProcess)
        {
            start.FileName = "runuser";
            foreach (string argument in new[] { "-u", "postgres", "--", file })
            {
                start.ArgumentList.Add(argument);
            }
        }
        else
        {
            start.FileName = file;
        }

        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {file}");
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"'{start.FileName} {string.Join(' ', start.ArgumentList)}' exited with {process.ExitCode}: {await output} {await error}");
        }

        return await output;
    }
}
