using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Actors.Orleans.ClientDemo.Verification;
using Actors.Orleans.ClientDemo.Workload;

namespace Actors.Orleans.ClientDemo;

/// <summary>What the demo prints: steps, progress, the silo's health, the verification and the verdict.</summary>
internal static class DemoOutput
{
    public static void Step(string text) => Console.WriteLine($"{Environment.NewLine}== {text}");

    public static void Line(string text) => Console.WriteLine($"   {text}");

    /// <summary>A progress line each second until <paramref name="until"/> completes.</summary>
    public static async Task ProgressAsync(Ledger ledger, Task until)
    {
        var clock = Stopwatch.StartNew();
        using var tick = new PeriodicTimer(TimeSpan.FromSeconds(1));
        long previous = ledger.Acknowledged;
        while (await Task.WhenAny(until, tick.WaitForNextTickAsync().AsTask()) != until)
        {
            long now = ledger.Acknowledged;
            Line(string.Create(CultureInfo.InvariantCulture,
                $"t={clock.Elapsed.TotalSeconds,4:F1}s  acknowledged {now,7:N0} (+{now - previous,5:N0})  rejected {ledger.Rejected,4:N0}  in flight {ledger.InFlight,3}  money {ledger.ExpectedMoney:N0}"));
            previous = now;
        }
    }

    /// <summary>Each health check of the silo's /health JSON on a line.</summary>
    public static void Health(string json)
    {
        try
        {
            using JsonDocument document = JsonDocument.Parse(json);
            foreach (JsonProperty check in document.RootElement.GetProperty("checks").EnumerateObject())
            {
                Line($"health {check.Name}: {check.Value.GetProperty("status").GetString()} - {check.Value.GetProperty("description").GetString()}");
            }
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            Line($"health: {json}");
        }
    }

    public static void Report(RecoveryReport report)
    {
        if (!report.Passed)
        {
            Line($"{report.Failures.Count} mismatch(es) found: the lines below count what was read; the verdict lists the mismatches");
        }

        Line(string.Create(CultureInfo.InvariantCulture,
            $"{report.Accounts} accounts: {report.EventsCompared:N0} events compared one by one with the acknowledged calls; {report.EventsReplayed:N0} confirmed events replayed: every balance equals its replay"));
        Line($"{report.Customers} customers: profile and activity equal the replay of their acknowledged calls");
        Line(string.Create(CultureInfo.InvariantCulture, $"{report.AcknowledgedCalls:N0} acknowledged calls verified (rejected ones changed nothing)"));
        Line($"calls without an answer at the kill: {report.InDoubtPresent} wholly present, {report.InDoubtAbsent} absent, none partial");
        Line(string.Create(CultureInfo.InvariantCulture, $"money: the accounts hold {report.Money:N0}; paid in minus paid out = {report.ExpectedMoney:N0}"));
        if (report.RetriedReads > 0)
        {
            Line($"{report.RetriedReads} read(s) sent again after a retryable error; last: {report.LastRetriedError}");
        }
    }

    /// <summary>Prints the verdict line (and the mismatches under it) and returns the exit code.</summary>
    public static int Verdict(Ledger ledger, RecoveryReport? report, string passed)
    {
        string[] failures = [.. ledger.Problems, .. report?.Failures ?? [], .. report is null ? new[] { passed } : []];
        Console.WriteLine();
        if (failures.Length == 0)
        {
            Console.WriteLine($"VERDICT: PASS - {passed}");
            return 0;
        }

        Console.WriteLine($"VERDICT: FAIL - {failures.Length} mismatch(es); first: {failures[0]}");
        foreach (string failure in failures.Take(20))
        {
            Console.WriteLine($"  - {failure}");
        }

        return 1;
    }
}
