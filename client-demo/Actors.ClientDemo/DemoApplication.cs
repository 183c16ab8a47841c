namespace Actors.ClientDemo;

/// <summary>
/// Parses the command line and runs the local crash-and-recovery demo or the gateway demo. Exit code 0 only when every
/// check passed, 1 when a check failed, 2 for a usage or connection error (one line saying what to fix; the stack with
/// <c>--verbose</c>).
/// </summary>
internal static class DemoApplication
{
    public static async Task<int> RunAsync(string[] args)
    {
        DemoOptions options;
        try
        {
            options = DemoOptions.Parse(args);
        }
        catch (ArgumentException ex)
        {
            await Console.Error.WriteLineAsync($"{ex.Message}{Environment.NewLine}{Environment.NewLine}{DemoOptions.Usage}");
            return 2;
        }

        if (options.Help)
        {
            Console.WriteLine(DemoOptions.Usage);
            return 0;
        }

        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };
        try
        {
            return options.Gateway is null
                ? await LocalDemo.RunAsync(options, cancel.Token)
                : await GatewayDemo.RunAsync(options, cancel.Token);
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync("Cancelled.");
            return 130;
        }
        catch (Exception ex) when (ConnectionProblem.Describe(ex, options) is { } problem)
        {
            await Console.Error.WriteLineAsync($"{Environment.NewLine}error: {problem}");
            if (options.Verbose)
            {
                await Console.Error.WriteLineAsync(ex.ToString());
            }

            return 2;
        }
    }
}
