using System.Globalization;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Actors.Hosting.Health;

/// <summary>
/// The stuck-grain detector on the silo's health (check <c>grains</c>): Healthy while no call is stuck, Degraded while
/// some turn runs, or some call waits in a queue, longer than <see cref="SiloOptions.StuckCallThreshold"/>; the
/// description names the first few (grain, method, how long) and the data carries the counts.
/// </summary>
internal sealed class StuckGrainsHealthCheck(IStuckGrainMonitor monitor) : IHealthCheck
{
    /// <summary>How many stuck calls the description names.</summary>
    public const int Listed = 5;

    /// <inheritdoc />
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<StuckGrainCall> stuck = monitor.GetStuckCalls();
        var data = new Dictionary<string, object>
        {
            ["stuckNow"] = stuck.Count,
            ["detections"] = monitor.Detections,
            ["threshold"] = monitor.Threshold.ToString("c", CultureInfo.InvariantCulture),
        };
        if (stuck.Count == 0)
        {
            return Task.FromResult(HealthCheckResult.Healthy($"No grain call stuck longer than {monitor.Threshold}.", data));
        }

        string listed = string.Join("; ", stuck.OrderByDescending(c => c.Duration).Take(Listed).Select(c => string.Create(CultureInfo.InvariantCulture,
            $"{c.GrainId} {c.Method} {(c.IsRunning ? "running" : "queued")} {c.Duration.TotalSeconds:0.#} s")));
        return Task.FromResult(HealthCheckResult.Degraded(
            $"{stuck.Count} grain call(s) stuck longer than {monitor.Threshold}: {listed}{(stuck.Count > Listed ? "; ..." : "")}.", data: data));
    }
}
