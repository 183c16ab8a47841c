using System.Diagnostics;
using System.Globalization;
using Actors.Hosting.Gateway;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Actors.Hosting.Dashboard;

/// <summary>
/// The dashboard's <c>Silos</c> panel: this silo's name, health, uptime, gateway and process. One row until the
/// runtime has cluster membership; a membership source then replaces it with one row per silo.
/// </summary>
internal sealed class SiloPanelSource(
    IOptions<SiloOptions> silo,
    TimeProvider time,
    IGatewayInfo? gateway = null,
    HealthCheckService? health = null) : IDashboardPanelSource
{
    private readonly DateTimeOffset _started = time.GetUtcNow();

    public async ValueTask<DashboardPanel?> GetPanelAsync(CancellationToken cancellationToken)
    {
        string status = "no health checks";
        string? problems = null;
        if (health is not null)
        {
            HealthReport report = await health.CheckHealthAsync(cancellationToken).ConfigureAwait(false);
            status = report.Status.ToString();
            string[] unhealthy = [.. report.Entries.Where(e => e.Value.Status != HealthStatus.Healthy).Select(e => $"{e.Key}: {e.Value.Description}")];
            problems = unhealthy.Length == 0 ? null : string.Join("; ", unhealthy);
        }

        using Process process = Process.GetCurrentProcess();
        TimeSpan uptime = time.GetUtcNow() - _started;
        string[] row =
        [
            silo.Value.SiloName,
            status,
            $"{(int)uptime.TotalHours}h {uptime.Minutes:D2}m {uptime.Seconds:D2}s",
            gateway?.ListeningEndPoint?.ToString() ?? "(no gateway)",
            gateway is null ? "-" : gateway.ActiveConnections.ToString(CultureInfo.InvariantCulture),
            process.Id.ToString(CultureInfo.InvariantCulture),
            $"{process.WorkingSet64 / (1024.0 * 1024.0):F0} MiB",
        ];
        return new DashboardPanel("silos", "Silos", ["Silo", "Health", "Uptime", "Gateway", "Client connections", "Process", "Working set"], [row])
        {
            Note = problems,
        };
    }
}
