using System.Diagnostics;
using System.Globalization;
using Actors.Client;
using Actors.ClientDemo.Launching;
using Actors.ClientDemo.Workload;

namespace Actors.Crash.Tests.Process;

/// <summary>
/// Real process kills: starts the real silo executable (the demo's <see cref="SiloProcess"/> launcher) on a temporary
/// data directory with SyncPolicy Always, drives the bank workload through a gateway client across many grains while
/// recording every acknowledged operation, SIGKILLs the silo after a seeded random number of further acknowledgements
/// (with calls in flight), restarts it on the same directory and verifies with <see cref="StateVerifier"/>: every
/// acknowledged event present in order, state equal to the replay of the acknowledged history, in-flight operations
/// complete or absent, and recovery never failing.
/// </summary>
public sealed class KillCampaign(KillCampaignSettings settings, Action<string> log)
{
    private static readonly TimeSpan PhaseTimeout = TimeSpan.FromSeconds(120);

    /// <summary>Runs the campaign; stops at the first failing cycle (its data directory is kept and named in the failure).</summary>
    public async Task<KillCampaignResult> RunAsync()
    {
        var result = new KillCampaignResult();
        var clock = Stopwatch.StartNew();
        var random = new Random(settings.Seed);
        string root = Path.Combine(Path.GetTempPath(), "actors-kill-campaign", $"{settings.Seed}-{Guid.NewGuid():N}");
        bool keep = false;
        try
        {
            int cycle = 0;
            for (int round = 0; cycle < settings.Cycles && result.Failures.Count == 0 && !result.StoppedByTimeLimit; round++)
            {
                string directory = Path.Combine(root, $"round-{round:D3}");
                int cycles = Math.Min(settings.CyclesPerDirectory, settings.Cycles - cycle);
                int done = await RunRoundAsync(directory, round, cycles, cycle, random, result, clock);
                cycle += done;
                keep = result.Failures.Count > 0;
                if (!keep)
                {
                    Directory.Delete(directory, recursive: true);
                }
            }
        }
        finally
        {
            result.Duration = clock.Elapsed;
            if (!keep && Directory.Exists(root))
            {
                Directory.Delete(root, recursive: true);
            }
        }

        return result;
    }

    /// <summary>One data directory: setup, then <paramref name="cycles"/> x (load, kill, restart, verify), then a graceful stop. Returns the cycles completed.</summary>
    private async Task<int> RunRoundAsync(string directory, int round, int cycles, int cycleBase, Random random, KillCampaignResult result, Stopwatch clock)
    {
        string secret = $"kill-campaign-{settings.Seed}";
        var launch = new SiloLaunchOptions { DataDirectory = directory, Secret = secret, SyncPolicy = "Always", StartTimeout = PhaseTimeout };
        var model = new BankModel($"r{round}", settings.Accounts, settings.Customers);
        SiloProcess silo = await StartAsync(launch, result);
        try
        {
            await using (IClusterClient client = await ConnectAsync(silo, secret))
            {
                await new BankWorkload(client, model).SetupAsync(1000m, settings.Workers, CancellationToken.None).WaitAsync(PhaseTimeout);
            }

            for (int c = 0; c < cycles; c++)
            {
                if (settings.TimeLimit is { } limit && clock.Elapsed > limit)
                {
                    result.StoppedByTimeLimit = true;
                    return c;
                }

                int operations = random.Next(1, settings.MaxOperationsBeforeKill + 1);
                long inFlight = await LoadAndKillAsync(silo, secret, model, operations, random.Next());
                await silo.DisposeAsync();
                silo = await StartAsync(launch, result);
                VerificationReport report;
                await using (IClusterClient client = await ConnectAsync(silo, secret))
                {
                    report = await StateVerifier.VerifyAsync(client, model, settings.Workers, CancellationToken.None).WaitAsync(PhaseTimeout);
                }

                result.Cycles++;
                result.AcknowledgedOperationsVerified += report.AcknowledgedOperations;
                result.EventsChecked += report.EventsChecked;
                result.InFlightPresent += report.InFlightPresent;
                result.InFlightAbsent += report.InFlightAbsent;
                string failures = report.Passed ? "" : $"; {report.Failures.Count} FAILURES";
                string line = string.Create(
                    CultureInfo.InvariantCulture,
                    $"cycle {cycleBase + c + 1}: killed after {operations} more acks with {inFlight} in flight; restart {silo.StartDuration.TotalSeconds:F1} s; verified {report.AcknowledgedOperations} acked ops, {report.EventsChecked} events, in flight present/absent {report.InFlightPresent}/{report.InFlightAbsent}, money {report.TotalMoney}{failures}");
                log(line);
                AppendSummary(line);
                if (!report.Passed || model.Failures.Count > 0)
                {
                    result.Failures.AddRange(report.Failures.Concat(model.Failures).Select(f => $"cycle {cycleBase + c + 1} ({directory}): {f}"));
                    return c + 1;
                }
            }

            bool graceful = await silo.StopAsync(PhaseTimeout);
            if (!graceful)
            {
                result.Failures.Add($"round {round}: the silo did not stop gracefully after SIGTERM. Last output: {string.Join(" | ", silo.LastLines.TakeLast(10))}");
            }

            return cycles;
        }
        catch (Exception ex) when (ex is InvalidOperationException or TimeoutException)
        {
            result.Failures.Add($"round {round} ({directory}): {ex.Message}");
            return result.Cycles - cycleBase;
        }
        finally
        {
            await silo.DisposeAsync();
        }
    }

    /// <summary>Runs the workload until <paramref name="operations"/> more acknowledgements, then SIGKILLs the silo. Returns the calls in flight at the kill.</summary>
    private async Task<long> LoadAndKillAsync(SiloProcess silo, string secret, BankModel model, int operations, int seed)
    {
        await using IClusterClient client = await ConnectAsync(silo, secret);
        var workload = new BankWorkload(client, model);
        Task killPoint = model.WhenAcknowledged(model.Acknowledged + operations);
        Task running = workload.RunAsync(settings.Workers, null, seed, CancellationToken.None);
        Task first = await Task.WhenAny(killPoint, running).WaitAsync(PhaseTimeout);
        if (first == running)
        {
            throw new InvalidOperationException(
                $"The workload stopped before the kill (waiting for {operations} more acknowledgements, {model.Acknowledged} so far): {workload.FirstError?.Message}");
        }

        long inFlight = model.InFlight;
        await silo.KillAsync();
        await running.WaitAsync(PhaseTimeout);
        return inFlight;
    }

    private static async Task<SiloProcess> StartAsync(SiloLaunchOptions launch, KillCampaignResult result)
    {
        SiloProcess silo = await SiloProcess.StartAsync(launch);
        result.SiloStarts++;
        if (silo.StartDuration > result.SlowestRestart)
        {
            result.SlowestRestart = silo.StartDuration;
        }

        return silo;
    }

    private static async Task<IClusterClient> ConnectAsync(SiloProcess silo, string secret)
    {
        IClusterClient client = new ClusterClientBuilder().UseGateway(silo.GatewayEndPoint).UseSecret(secret).Build();
        await client.ConnectAsync().WaitAsync(PhaseTimeout);
        return client;
    }

    private void AppendSummary(string line)
    {
        if (settings.SummaryFile is { } file)
        {
            File.AppendAllText(file, line + Environment.NewLine);
        }
    }
}
