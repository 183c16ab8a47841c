using System.Globalization;
using System.Security.Cryptography;
using Actors.Client;
using Actors.ClientDemo.Launching;
using Actors.ClientDemo.Workload;
using Actors.Demo.Grains.Accounts;

namespace Actors.ClientDemo;

/// <summary>
/// The main job: a real silo process on a local data directory, the bank workload through its gateway, a SIGKILL in
/// the middle of the load, a restart on the same directory, and a check that every acknowledged operation survived.
/// </summary>
internal static class LocalDemo
{
    private const decimal OpeningBalance = 1000m;

    public static async Task<int> RunAsync(DemoOptions options, CancellationToken cancellationToken)
    {
        string dataDirectory = Path.GetFullPath(options.DataDirectory ?? Path.Combine(".actors-data", "demo"));
        if (!PrepareDataDirectory(dataDirectory))
        {
            return 2;
        }

        string secret = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        var launch = new SiloLaunchOptions
        {
            DataDirectory = dataDirectory,
            Secret = secret,
            SyncPolicy = "Always",
            OutputLine = options.SiloLogs ? line => Console.WriteLine($"   silo| {line}") : null,
            Environment = { ["ACTORS__DASHBOARD__ENABLED"] = "true" },
        };
        var model = new BankModel("demo", options.Accounts, options.Customers);

        DemoConsole.Step($"1/5 Starting a silo process: dotnet {Path.GetFileName(launch.ResolveSiloAssembly())}");
        Console.WriteLine($"   data directory: {dataDirectory}");
        await using (SiloProcess silo = await StartAsync(launch, cancellationToken))
        {
            await using IClusterClient client = await ConnectAsync(silo, secret, cancellationToken);
            var workload = new BankWorkload(client, model);

            DemoConsole.Step($"2/5 Opening {options.Accounts} journaled bank accounts with {OpeningBalance:N0} each and {options.Customers} customers with persistent state");
            await workload.SetupAsync(OpeningBalance, options.Workers, cancellationToken);
            DemoConsole.Line($"{model.Acknowledged} operations acknowledged; every answer came after the write was fsynced (SyncPolicy Always)");

            DemoConsole.Step($"3/5 Workload: {options.Workers} concurrent callers doing deposits, withdrawals, transfers and customer updates");
            using var load = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            Task running = workload.RunAsync(options.Workers, null, options.Seed, load.Token);
            Task killAt = options.Operations is { } operations
                ? model.WhenAcknowledged(model.Acknowledged + operations)
                : Task.Delay(options.Duration, cancellationToken);
            await DemoConsole.ProgressAsync(model, Task.WhenAny(killAt, running));
            if (running.IsCompleted)
            {
                DemoConsole.Line($"The workload stopped before the kill: {workload.FirstError?.Message ?? "no error"}");
                return DemoConsole.Verdict(model, new VerificationReport { Failures = { "The workload stopped before the kill." } }, "");
            }

            // Counted from here on: every call in flight now or sent before the silo is dead ends answered or without an answer.
            long acknowledgedBefore = model.Acknowledged;
            long unknownBefore = model.Unknown;
            DemoConsole.Step($"4/5 SIGKILL the silo (pid {silo.ProcessId}) mid-load");
            await silo.KillAsync();
            await running;
            long answered = model.Acknowledged - acknowledgedBefore;
            long lost = model.Unknown - unknownBefore;
            DemoConsole.Line(string.Create(CultureInfo.InvariantCulture,
                $"killed with {answered + lost} calls in flight: {answered} were answered before the silo died, {lost} lost their answer (outcome unknown: may be present or absent, never partial)"));
            DemoConsole.Line(string.Create(CultureInfo.InvariantCulture, $"{model.Acknowledged:N0} operations acknowledged in all"));
            DemoConsole.Line($"first client error after the kill: {workload.FirstError?.GetType().Name}: {workload.FirstError?.Message}");
        }

        DemoConsole.Step("5/5 Restarting the silo on the same data directory and verifying through the gateway");
        await using (SiloProcess silo = await StartAsync(launch, cancellationToken))
        {
            await using IClusterClient client = await ConnectAsync(silo, secret, cancellationToken);
            VerificationReport report = await StateVerifier.VerifyAsync(client, model, options.Workers, cancellationToken);
            DemoConsole.Report(report, afterKill: true);
            await ShowAccountAsync(client, model.Accounts[0].Id);
            bool graceful = await silo.StopAsync(TimeSpan.FromSeconds(30));
            DemoConsole.Line(graceful ? "silo stopped gracefully (SIGTERM)" : "silo did not stop within 30 s and was killed");
            return DemoConsole.Verdict(model, report, $"the SIGKILLed silo recovered every one of {model.Acknowledged:N0} acknowledged operations; total money conserved.");
        }
    }

    private static async Task<SiloProcess> StartAsync(SiloLaunchOptions launch, CancellationToken cancellationToken)
    {
        SiloProcess silo = await SiloProcess.StartAsync(launch, cancellationToken);
        DemoConsole.Line(string.Create(CultureInfo.InvariantCulture,
            $"silo pid {silo.ProcessId} healthy after {silo.StartDuration.TotalSeconds:F1} s: gateway {silo.GatewayEndPoint}, health {silo.HealthUri}"));
        DemoConsole.Health(silo.HealthReport);
        DemoConsole.Line($"live dashboard while the silo runs: {new Uri(silo.HealthUri, "/dashboard/")} (Prometheus: {new Uri(silo.HealthUri, "/metrics")})");
        return silo;
    }

    private static async Task<IClusterClient> ConnectAsync(SiloProcess silo, string secret, CancellationToken cancellationToken)
    {
        IClusterClient client = new ClusterClientBuilder().UseGateway(silo.GatewayEndPoint).UseSecret(secret).Build();
        await client.ConnectAsync(cancellationToken);
        return client;
    }

    private static async Task ShowAccountAsync(IClusterClient client, string accountId)
    {
        IBankAccountGrain account = client.GetGrain<IBankAccountGrain>(accountId);
        AccountBalance balance = await account.GetBalance();
        IReadOnlyList<string> last = await account.GetHistory(Math.Max(0, balance.Version - 3), balance.Version);
        DemoConsole.Line($"{accountId}: balance {balance.Balance:N0} at version {balance.Version}; its last events:");
        foreach (string entry in last)
        {
            DemoConsole.Line($"  {entry}");
        }
    }

    /// <summary>Wipes a previous demo run's directory; refuses a non-empty directory that is not a silo data directory.</summary>
    private static bool PrepareDataDirectory(string path)
    {
        if (Directory.Exists(path) && Directory.EnumerateFileSystemEntries(path).Any())
        {
            if (!File.Exists(Path.Combine(path, "silo.lock")))
            {
                Console.Error.WriteLine($"{path} is not empty and is not a silo data directory (no silo.lock); choose another --data-dir.");
                return false;
            }

            Directory.Delete(path, recursive: true);
        }

        Directory.CreateDirectory(path);
        return true;
    }
}
