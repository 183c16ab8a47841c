using System.Diagnostics.Metrics;
using Actors.Orleans.Log;

namespace Actors.Orleans.Silo.Dashboard;

/// <summary>
/// Shows the log's figures on Orleans's dashboard, in its "silo counters" beside Orleans's own. The dashboard
/// (Microsoft.Orleans.Dashboard 10.4.2) has no panel extension point and collects only the instruments of meters named
/// <c>Microsoft.Orleans</c>; so these few gauges, read from <see cref="SiloLog.GetStatus"/>, are published on that
/// meter, taken from the silo's <see cref="IMeterFactory"/> as Orleans takes it. Prometheus exports them too, under
/// the same scope.
/// </summary>
internal sealed class DashboardLogFigures(SiloLog log, IMeterFactory meters) : IHostedService
{
    /// <summary>The meter name the dashboard listens to.</summary>
    public const string DashboardMeterName = "Microsoft.Orleans";

    public Task StartAsync(CancellationToken cancellationToken)
    {
        // The factory hands out the meter Orleans itself created under this name (same name, version and tags).
        Meter meter = meters.Create(DashboardMeterName);
        meter.CreateObservableGauge("actors-log-open", () => log.GetStatus().State == SiloLogState.Open ? 1 : 0, description: "1 while the silo's write-ahead log is open and serving.");
        meter.CreateObservableGauge("actors-log-streams", () => log.GetStatus().Streams, "{stream}", "Streams (grains and states) in the silo's write-ahead log.");
        meter.CreateObservableGauge("actors-log-durable-lsn", () => log.GetStatus().DurableLsn, "{record}", "The last log sequence number known durable.");
        meter.CreateObservableGauge("actors-log-open-duration", () => log.GetStatus().OpenDuration.TotalMilliseconds, "ms", "How long opening (recovery) took.");
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
