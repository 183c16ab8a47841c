using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Actors.ClientDemo.Workload;

namespace Actors.ClientDemo;

/// <summary>The demo's console output: steps, progress while the workload runs, the health report and the verdict.</summary>
internal static class DemoConsole
{
    public static void Step(string text) => Console.WriteLine($"{Environment.NewLine}== {text}");

    public static void Line(string text) => Console.WriteLine($"   {text}");

    /// <summary>Prints one progress line per second until <paramref name="until"/> completes.</summary>
    public static async Task ProgressAsync(BankModel model, Task until)
    {
        var clock = Stopwatch.StartNew();
        long previous = model.Acknowledged;
        while (!until.IsCompleted)
        {
            await Task.WhenAny(until, Task.Delay(TimeSpan.FromSeconds(1)));
            long now = model.Acknowledged;
            if (until.IsCompleted && now == previous)
            {
                break;   // the workload ended right after the last line: nothing new to print
            }

            Line(string.Create(CultureInfo.InvariantCulture,
                $"t={clock.Elapsed.TotalSeconds,4:F1}s  acknowledged {now,7:N0} (+{now - previous,5:N0})  rejected {model.Rejected,4:N0}  in flight {model.InFlight,3}  money in accounts {model.ExpectedTotalMoney:N0}"));
            previous = now;
        }
    }

    /// <summary>Prints each health check's status and description from the silo's /health JSON.</summary>
    public static void Health(string json)
    {
        try
        {
            using JsonDocument report = JsonDocument.Parse(json);
            foreach (JsonProperty check in report.RootElement.GetProperty("checks").EnumerateObject())
            {
                Line($"health {check.Name}: {check.Value.GetProperty("status").GetString()} - {check.Value.GetProperty("description").GetString()}");
            }
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            Line($"health: {json}");
        }
    }

    public static void Report(VerificationReport report, bool afterKill)
    {
        Line(string.Create(CultureInfo.InvariantCulture,
            $"{report.Accounts} accounts: {report.EventsChecked:N0} stored events compared one by one with the acknowledged history, balances equal its replay"));
        Line($"{report.Customers} customers: profile and activity equal the replay of their acknowledged updates");
        Line(string.Create(CultureInfo.InvariantCulture, $"{report.AcknowledgedOperations:N0} acknowledged operations verified (rejected ones changed nothing)"));
        if (afterKill)
        {
            Line($"the {report.InFlightPresent + report.InFlightAbsent} calls that lost their answer at the kill: {report.InFlightPresent} completely present, {report.InFlightAbsent} absent, none partial");
        }

        Line(string.Create(CultureInfo.InvariantCulture, $"money: accounts hold {report.TotalMoney:N0}, deposits minus withdrawals = {report.ExpectedTotalMoney:N0}"));
    }

    /// <summary>Prints the verdict and returns the exit code.</summary>
    public static int Verdict(BankModel model, VerificationReport report, string passed)
    {
        string[] failures = [.. model.Failures, .. report.Failures];
        Console.WriteLine();
        if (failures.Length == 0)
        {
            Console.WriteLine($"VERDICT: PASS - {passed}");
            return 0;
        }

        Console.WriteLine($"VERDICT: FAIL - {failures.Length} mismatch(es):");
        foreach (string failure in failures.Take(20))
        {
            Console.WriteLine($"  - {failure}");
        }

        return 1;
    }
}
