using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace Actors.RuntimeBenchmarks;

/// <summary>
/// A soak: K callers make a mix of calls (40% synchronous, 40% yielding inside the grain, 20% grain-to-grain, relayed
/// to one of G other grains that only answer, so no call cycle forms) to grains chosen at random among G, for M minutes, optionally with R more activations resident. Any timeout or error
/// is reported and fails the run (exit code 1); progress and the stuck-grain detector's count are printed each minute.
/// </summary>
internal static class SoakBenchmark
{
    public static async Task<int> RunAsync(BenchOptions options)
    {
        int grains = options.Int("grains", 1_000);
        int inFlight = options.Int("inflight", 64);
        TimeSpan duration = TimeSpan.FromMinutes(options.Double("minutes", 10));
        int resident = options.Int("resident", 0);
        await using BenchSilo silo = await BenchSilo.StartAsync(new Dictionary<string, string> { ["CollectionAge"] = "01:00:00" });
        if (resident > 0)
        {
            await silo.ActivateAsync(resident);
            BenchmarkCommands.Print($"soak: {resident:N0} activations resident");
        }

        long calls = 0;
        var errors = new ConcurrentDictionary<string, long>();
        long deadline = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        using var progressStop = new CancellationTokenSource();
        Task progress = ReportProgressAsync(silo, () => Interlocked.Read(ref calls), errors, progressStop.Token);
        long start = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, inFlight).Select(worker => Task.Run(async () =>
        {
            var random = new Random(worker);
            while (Stopwatch.GetTimestamp() < deadline)
            {
                IBenchGrain grain = silo.Grain(random.Next(grains));
                int kind = random.Next(10);
                try
                {
                    _ = kind < 4 ? await grain.Ping() : kind < 8 ? await grain.PingYield() : await grain.Relay(grains + random.Next(grains));
                }
                catch (Exception ex)
                {
                    errors.AddOrUpdate(ex.GetType().Name, 1, (_, n) => n + 1);
                }

                Interlocked.Increment(ref calls);
            }
        })));
        TimeSpan elapsed = Stopwatch.GetElapsedTime(start);
        await progressStop.CancelAsync();
        await progress;

        long failed = errors.Values.Sum();
        BenchmarkCommands.Print(string.Create(CultureInfo.InvariantCulture,
            $"soak: {grains:N0} grains, {inFlight} in flight, {elapsed.TotalMinutes:0.0} min{(resident > 0 ? $", {resident:N0} resident" : "")}: {calls:N0} calls ({calls / elapsed.TotalSeconds:N0}/s), {silo.Timeouts} timeouts, {failed} errors{Describe(errors)}, {silo.StuckMonitor.Detections} stuck-call detections; load average {ProcessStats.LoadAverage}"));
        return silo.Timeouts == 0 && failed == 0 ? 0 : 1;
    }

    private static async Task ReportProgressAsync(BenchSilo silo, Func<long> calls, ConcurrentDictionary<string, long> errors, CancellationToken stop)
    {
        long previous = 0;
        try
        {
            while (true)
            {
                await Task.Delay(TimeSpan.FromMinutes(1), stop);
                long now = calls();
                BenchmarkCommands.Print(string.Create(CultureInfo.InvariantCulture,
                    $"soak: {now:N0} calls (+{(now - previous) / 60.0:N0}/s), {silo.Timeouts} timeouts, {errors.Values.Sum()} errors, {silo.StuckMonitor.Detections} stuck detections, {silo.StuckMonitor.GetStuckCalls().Count} stuck now, {silo.Activations:N0} activations; load average {ProcessStats.LoadAverage}"));
                previous = now;
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static string Describe(ConcurrentDictionary<string, long> errors)
        => errors.IsEmpty ? "" : " (" + string.Join(", ", errors.Select(e => $"{e.Key} {e.Value}")) + ")";
}
