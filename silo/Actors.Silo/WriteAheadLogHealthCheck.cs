using Actors.Persistence.Wal;
using Actors.Wal;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Actors.Silo;

/// <summary>
/// The default write-ahead-log store's health: unhealthy while its log is being opened (recovery runs at silo start)
/// or no longer open (stopping), unhealthy once the log has failed (an I/O error such as a failed fsync made it
/// read-only: the silo must be restarted), healthy otherwise with what recovery found.
/// </summary>
internal sealed class WriteAheadLogHealthCheck(
    [FromKeyedServices(WriteAheadLogStore.DefaultStoreName)] WriteAheadLogStore store,
    IHostApplicationLifetime lifetime) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (store.Log is not { } log)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy(lifetime.ApplicationStopping.IsCancellationRequested
                ? $"Store {store.Name}: the log in {store.Options.Directory} is closed (silo stopping)."
                : $"Store {store.Name}: recovery running: the log in {store.Options.Directory} is being opened and recovered."));
        }

        LogStatistics statistics = log.GetStatistics();
        if (statistics.IsFailed)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy(
                $"Store {store.Name}: the log in {store.Options.Directory} has failed (an I/O error in a write or fsync; fsync is never retried) "
                + $"and refuses writes until the silo restarts (durable LSN {statistics.DurableLsn})."));
        }

        RecoveryStatistics recovery = statistics.Recovery;
        return Task.FromResult(HealthCheckResult.Healthy(
            $"Store {store.Name}: log open in {store.Options.Directory}, sync policy {store.Options.SyncPolicy}, {statistics.StreamCount} streams, "
            + $"durable LSN {statistics.DurableLsn}; opened in {recovery.Duration.TotalMilliseconds:F0} ms: {PreviousRun(recovery)}."));
    }

    /// <summary>What opening the log found about the process that had it before this silo.</summary>
    internal static string PreviousRun(RecoveryStatistics recovery) => recovery switch
    {
        { Segments: 0 } => "new log (the directory held no segment)",
        { CleanShutdown: true } => "the previous silo closed the log cleanly",
        _ => $"the previous silo did not close the log (crash, kill or power loss): recovery scanned {recovery.RecordsScanned} record(s) after the recovery point, "
            + $"{recovery.TruncatedBytes} torn-tail byte(s) truncated",
    };
}
