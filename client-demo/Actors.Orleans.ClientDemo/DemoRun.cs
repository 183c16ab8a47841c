using System.Globalization;
using Actors.Orleans.ClientDemo.Launching;
using Actors.Orleans.ClientDemo.Verification;
using Actors.Orleans.ClientDemo.Workload;

namespace Actors.Orleans.ClientDemo;

/// <summary>
/// The demo: a silo process on a fresh data directory, the bank workload through the Orleans client, SIGKILL mid-load,
/// a restart on the same directory, and the verification. Exit code 0 when everything matched, 1 on a mismatch, 2 for
/// a usage or start error.
/// </summary>
internal static class DemoRun
{
    /// <summary>Each account's opening deposit.</summary>
    public const decimal OpeningBalance = 1000m;
    private const string Marker = "orleans-demo.marker";
    /// <summary>How long a phase (setup, verification) may take.</summary>
    public static readonly TimeSpan PhaseTimeout = TimeSpan.FromSeconds(120);

    public static async Task<int> MainAsync(string[] args)
    {
        DemoArguments arguments;
        try
        {
            arguments = DemoArguments.Parse(args, Environment.GetEnvironmentVariable(DemoArguments.GatewaysVariable));
        }
        catch (ArgumentException ex)
        {
            await Console.Error.WriteLineAsync($"{ex.Message}{Environment.NewLine}{Environment.NewLine}{DemoArguments.Usage}");
            return 2;
        }

        if (arguments.Help)
        {
            Console.WriteLine(DemoArguments.Usage);
            return 0;
        }

        try
        {
            return arguments.Cluster ? await Cluster.ClusterRun.RunAsync(arguments)
                : arguments.Gateways.Count > 0 ? await GatewayRun.RunAsync(arguments)
                : await RunAsync(arguments);
        }
        catch (Exception ex) when (ex is InvalidOperationException or FileNotFoundException or IOException or TimeoutException)
        {
            Console.WriteLine($"{Environment.NewLine}VERDICT: FAIL - the demo could not run: {ex.Message}");
            return 2;
        }
    }

    private static async Task<int> RunAsync(DemoArguments arguments)
    {
        string directory = Path.GetFullPath(arguments.DataDirectory);
        PrepareDirectory(directory);
        var launch = new SiloProcessOptions
        {
            DataDirectory = directory,
            OutputLine = arguments.SiloLogs ? line => Console.WriteLine($"   silo| {line}") : null,
        };
        var ledger = new Ledger("demo", arguments.Accounts, arguments.Customers);

        DemoOutput.Step($"1/5 Starting the Orleans silo: dotnet {SiloProcessOptions.SiloAssemblyName} on {directory}");
        await using (SiloProcess silo = await StartAsync(launch))
        {
            BankLoad load;
            Task running;
            await using (SiloClient client = await SiloClient.ConnectAsync(silo.Endpoints.Gateway, PhaseTimeout))
            {
                load = new BankLoad(client.Grains, ledger);
                DemoOutput.Step($"2/5 Opening {arguments.Accounts} journaled accounts with {OpeningBalance:N0} each and {arguments.Customers} customers");
                await load.SetupAsync(OpeningBalance, arguments.Workers, CancellationToken.None).WaitAsync(PhaseTimeout);
                DemoOutput.Line($"{ledger.Acknowledged} calls acknowledged, each after its write was durable (sync policy {launch.SyncPolicy})");

                DemoOutput.Step($"3/5 Load: {arguments.Workers} concurrent callers doing deposits, withdrawals, transfers and customer changes");
                using var abandon = new CancellationTokenSource();
                running = load.RunAsync(arguments.Workers, arguments.Seed, abandon.Token);
                Task killPoint = arguments.Operations is { } operations ? ledger.WhenAcknowledged(ledger.Acknowledged + operations) : Task.Delay(arguments.Duration);
                await DemoOutput.ProgressAsync(ledger, Task.WhenAny(killPoint, running));
                if (running.IsCompleted)
                {
                    return DemoOutput.Verdict(ledger, null, $"the load stopped before the kill: {load.FirstUnanswered?.Message ?? "no error"}");
                }

                long acknowledgedBefore = ledger.Acknowledged;
                long unansweredBefore = ledger.Unanswered;
                DemoOutput.Step($"4/5 SIGKILL the silo (pid {silo.ProcessId}) mid-load");
                await silo.KillAsync();
                await abandon.CancelAsync();   // the process is gone: whatever is still unanswered never will be
                await running.WaitAsync(PhaseTimeout);
                long answered = ledger.Acknowledged - acknowledgedBefore;
                long lost = ledger.Unanswered - unansweredBefore;
                DemoOutput.Line(string.Create(CultureInfo.InvariantCulture, $"{answered + lost} calls were in flight: {answered} answered before the silo died, {lost} lost their answer (outcome unknown: whole or absent, never partial)"));
                DemoOutput.Line(string.Create(CultureInfo.InvariantCulture, $"{ledger.Acknowledged:N0} calls acknowledged in all"));
                DemoOutput.Line(load.FirstUnanswered is { } first
                    ? $"first call that failed for lack of an answer: {first.GetType().Name}: {first.Message}"
                    : $"no call failed by itself; the {load.Abandoned} still waiting were abandoned once the silo process had exited");
            }
        }

        DemoOutput.Step("5/5 Restarting the silo on the same directory and verifying through the Orleans client");
        await using (SiloProcess silo = await StartAsync(launch))
        {
            RecoveryReport report;
            await using (SiloClient client = await SiloClient.ConnectAsync(silo.Endpoints.Gateway, PhaseTimeout))
            {
                report = await RecoveryVerifier.VerifyAsync(client.Grains, ledger, arguments.Workers, CancellationToken.None).WaitAsync(PhaseTimeout);
            }

            DemoOutput.Report(report);
            bool graceful = await silo.StopAsync(TimeSpan.FromSeconds(60));
            DemoOutput.Line(graceful ? "silo stopped gracefully (SIGTERM)" : "the silo did not stop within 60 s of SIGTERM and was killed");
            return DemoOutput.Verdict(ledger, report, string.Create(CultureInfo.InvariantCulture, $"the SIGKILLed silo recovered every one of {ledger.Acknowledged:N0} acknowledged calls; money conserved."));
        }
    }

    private static async Task<SiloProcess> StartAsync(SiloProcessOptions launch)
    {
        SiloProcess silo = await SiloProcess.StartAsync(launch);
        DemoOutput.Line(string.Create(CultureInfo.InvariantCulture, $"silo pid {silo.ProcessId} healthy after {silo.StartDuration.TotalSeconds:F1} s: gateway {silo.Endpoints.Gateway}, health {silo.Endpoints.Health}"));
        DemoOutput.Health(silo.HealthReport);
        DemoOutput.Line($"while it runs: dashboard {silo.Endpoints.Dashboard}, Prometheus {silo.Endpoints.Metrics}");
        return silo;
    }

    /// <summary>Wipes the previous run's directory; refuses a non-empty directory this demo did not create.</summary>
    /// <exception cref="InvalidOperationException">The directory holds something else.</exception>
    private static void PrepareDirectory(string directory)
    {
        if (Directory.Exists(directory) && Directory.EnumerateFileSystemEntries(directory).Any())
        {
            if (!File.Exists(Path.Combine(directory, Marker)))
            {
                throw new InvalidOperationException($"{directory} is not empty and holds no {Marker}: it is not this demo's directory; choose another --data-dir");
            }

            Directory.Delete(directory, recursive: true);
        }

        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, Marker), "Created by client-demo/Actors.Orleans.ClientDemo, which wipes this directory at each start.\n");
    }
}
