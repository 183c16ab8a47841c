namespace Actors.Wal.Tool.Tests.Infrastructure;

/// <summary>Runs the tool in-process with captured output.</summary>
internal static class ToolRunner
{
    public static async Task<ToolRun> RunAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        int code = await ToolApp.RunAsync(args, stdout, stderr);
        return new ToolRun(code, stdout.ToString(), stderr.ToString());
    }
}

public sealed record ToolRun(int ExitCode, string Out, string Error)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout ---\n{Out}\n--- stderr ---\n{Error}";
}
