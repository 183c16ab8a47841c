using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Actors.Orleans.ClientDemo.Launching;
using Actors.Orleans.ClientDemo.Verification;
using Actors.Orleans.ClientDemo.Workload;

namespace Actors.Orleans.Crash.Tests;

/// <summary>
/// Runs the Orleans silo as a real process on one data directory and, cycle after cycle, drives the demo's bank load
/// through the Orleans client, SIGKILLs the silo after a seeded random number of further acknowledgements (calls in
/// flight), restarts it on the same directory and verifies with the demo's <see cref="RecoveryVerifier"/>. Stops at the
/// first failing cycle.
/// </summary>
public sealed class KillCycles(KillCycleSettings settings, Action<string> log)
{
    /// <summary>Runs the cycles on <paramref name="directory"/>.</summary>
    public async Task<KillCycleResult> RunAsync(string directory)
    {
        var result = new KillCycleResult();
        var random = new Random(settings.Seed);
        var launch = new SiloProcessOptions { DataDirectory = directory, StartTimeout = Phase.Limit };

        // The dashboard is about 40% of a start's CPU (measured: 5.0 s with it, 3.1 s without) and takes no part in what
        // is tested here: the log's recovery after SIGKILL.
        launch.Environment["ACTORS__DASHBOARDENABLED"] = "false";
        var ledger = new Ledger($"kill{settings.Seed}", settings.Accounts, settings.Customers);
        SiloProcess silo = await StartAsync(launch, result, "first start");
        SiloClient? client = null;
        try
        {
            // One client per run of the silo: it verifies what the previous run left (or sets the bank up), then loads it
            // until the kill.
            client = await SiloClient.ConnectAsync(silo.Endpoints.Gateway, Phase.Limit);
            int setupCalls = settings.Accounts + settings.Customers + settings.Accounts;
            await Phase.WithinAsync(new BankLoad(client.Grains, ledger).SetupAsync(1000m, settings.Workers, CancellationToken.None),
                "setup", $"about {setupCalls} setup calls acknowledged", () => $"{ledger.Acknowledged} acknowledged");
            for (int cycle = 1; cycle <= settings.Cycles; cycle++)
            {
                int operations = random.Next(1, settings.MaxOperationsBeforeKill + 1);
                var clock = Stopwatch.StartNew();
                (long answered, long lost) = await LoadAndKillAsync(client, silo, ledger, operations, random.Next(), cycle);
                TimeSpan load = clock.Elapsed;
                await client.DisposeAsync();
                client = null;
                await silo.DisposeAsync();
                silo = await StartAsync(launch, result, $"restart {cycle}");
                client = await SiloClient.ConnectAsync(silo.Endpoints.Gateway, Phase.Limit);
                clock.Restart();
                RecoveryReport report = await Phase.WithinAsync(RecoveryVerifier.VerifyAsync(client.Grains, ledger, settings.Workers, CancellationToken.None),
                    $"verify {cycle}", "every account and customer read", () => "the verification had not finished");
                TimeSpan verify = clock.Elapsed;

                result.Cycles = cycle;
                result.AcknowledgedVerified += report.AcknowledgedCalls;
                result.EventsCompared += report.EventsCompared;
                result.InDoubtPresent += report.InDoubtPresent;
                result.InDoubtAbsent += report.InDoubtAbsent;
                log(string.Create(CultureInfo.InvariantCulture,
                    $"cycle {cycle}: killed {operations} acknowledgements in ({load.TotalSeconds:F1} s of load), {answered} answered / {lost} unanswered at the kill; restart {silo.StartDuration.TotalSeconds:F1} s; verified {report.AcknowledgedCalls} calls, {report.EventsCompared} events in {verify.TotalSeconds:F1} s, in doubt {report.InDoubtPresent} present / {report.InDoubtAbsent} absent, money {report.Money}"));
                string[] failures = [.. ledger.Problems, .. report.Failures];
                if (failures.Length > 0)
                {
                    result.Failures.AddRange(failures.Select(f => $"cycle {cycle}: {f}"));
                    result.Failures.Add($"cycle {cycle}: the silo's last output:{Environment.NewLine}{string.Join(Environment.NewLine, silo.LastLines.TakeLast(20))}");
                    return result;
                }
            }

            await client.DisposeAsync();
            client = null;
            if (!await silo.StopAsync(Phase.Limit))
            {
                result.Failures.Add($"after {settings.Cycles} cycles: the silo did not stop within {Phase.Limit.TotalSeconds:F0} s of SIGTERM. Its last output: {string.Join(" | ", silo.LastLines.TakeLast(10))}");
            }

            return result;
        }
        catch (Exception ex) when (ex is InvalidOperationException or TimeoutException)
        {
            result.Failures.Add($"after {result.Cycles} verified cycles: {ex.Message}");
            return result;
        }
        finally
        {
            if (client is not null)
            {
                await client.DisposeAsync();
            }

            await silo.DisposeAsync();
        }
    }

    /// <summary>Loads through <paramref name="client"/> until <paramref name="operations"/> more acknowledgements, SIGKILLs, abandons the calls left unanswered. Returns the calls answered and unanswered after the kill point.</summary>
    private async Task<(long Answered, long Lost)> LoadAndKillAsync(SiloClient client, SiloProcess silo, Ledger ledger, int operations, int seed, int cycle)
    {
        var load = new BankLoad(client.Grains, ledger);
        using var abandon = new CancellationTokenSource();
        long target = ledger.Acknowledged + operations;
        Task running = load.RunAsync(settings.Workers, seed, abandon.Token);
        await Phase.WithinAsync(Task.WhenAny(ledger.WhenAcknowledged(target), running), $"load {cycle}",
            $"{target} calls acknowledged", () => $"{ledger.Acknowledged} acknowledged, {ledger.InFlight} in flight");
        if (running.IsCompleted)
        {
            throw new InvalidOperationException(
                $"Phase 'load {cycle}': expected the load to run until {target} acknowledgements; it stopped at {ledger.Acknowledged}: {load.FirstUnanswered?.GetType().Name}: {load.FirstUnanswered?.Message}");
        }

        long acknowledged = ledger.Acknowledged;
        long unanswered = ledger.Unanswered;
        await silo.KillAsync();
        await abandon.CancelAsync();
        await Phase.WithinAsync(running, $"kill {cycle}", "every caller stopped after the kill", () => $"{ledger.InFlight} calls still in flight");
        return (ledger.Acknowledged - acknowledged, ledger.Unanswered - unanswered);
    }

    /// <summary>Starts the silo and checks that its log is open on the data directory's <c>wal</c>.</summary>
    private static async Task<SiloProcess> StartAsync(SiloProcessOptions launch, KillCycleResult result, string phase)
    {
        SiloProcess silo = await SiloProcess.StartAsync(launch);
        if (silo.StartDuration > result.SlowestStart)
        {
            result.SlowestStart = silo.StartDuration;
        }

        string expected = Path.Combine(Path.GetFullPath(launch.DataDirectory), "wal");
        using JsonDocument health = JsonDocument.Parse(silo.HealthReport);
        JsonElement data = health.RootElement.GetProperty("checks").GetProperty("write-ahead-log").GetProperty("data");
        string? state = data.GetProperty("state").GetString();
        string? directory = data.GetProperty("directory").GetString();
        if (state != "Open" || directory != expected)
        {
            await silo.DisposeAsync();
            throw new InvalidOperationException($"Phase '{phase}': expected the write-ahead log Open in {expected}; /health reported state {state} in {directory}: {silo.HealthReport}");
        }

        return silo;
    }
}
