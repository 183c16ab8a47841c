namespace Actors.Benchmarks.Peers;

/// <summary>
/// One durable store the throughput driver can run: each writer appends to its own stream (or rewrites its own
/// grain state), and a completed <see cref="AppendAsync"/> means the write is acknowledged under the store's
/// durability rule.
/// </summary>
internal interface IAppendTarget : IAsyncDisposable
{
    /// <summary>The column name in the report.</summary>
    string Name { get; }

    /// <summary>
    /// True when <see cref="AppendAsync"/> blocks the calling thread and completes synchronously; the driver then
    /// gives each writer a thread of its own so that the thread pool does not throttle concurrency.
    /// </summary>
    bool IsBlocking { get; }

    /// <summary>Creates what <paramref name="writers"/> writers need (streams, connections, files).</summary>
    ValueTask PrepareAsync(int writers, CancellationToken cancellationToken);

    /// <summary>Writes <paramref name="payload"/> as version <paramref name="version"/> (1, 2, ...) of writer <paramref name="writer"/>'s stream.</summary>
    ValueTask AppendAsync(int writer, long version, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken);

    /// <summary>Cumulative sync counters, when the store exposes them (null otherwise).</summary>
    ValueTask<SyncCounters?> ReadCountersAsync(CancellationToken cancellationToken);

    /// <summary>
    /// What the store is doing beside the appends right now, read by the driver before and after each append to attribute
    /// its latency (<see cref="Infrastructure.AppendPhase"/>): the low byte holds activity flags, the rest a count of
    /// segment switches. Must be cheap (a few volatile reads). 0 for stores without such a notion.
    /// </summary>
    long Phase() => 0;

    /// <summary>
    /// When the store's sync that acknowledged <paramref name="writer"/>'s last append completed (a <see cref="System.Diagnostics.Stopwatch"/>
    /// timestamp), read by the driver right after the append returns: the gap is the time from the fsync's completion to
    /// the writer's continuation (completing the waiters and the thread pool's scheduling). 0 when the store does not tell.
    /// </summary>
    long CompletedAt(int writer) => 0;

    /// <summary>
    /// Cumulative maintenance counters for <see cref="Infrastructure.LatencyTimeline"/>, in the order of
    /// <see cref="Infrastructure.LatencyTimeline.MaintenanceCounterNames"/>; null for stores without them.
    /// </summary>
    long[]? MaintenanceCounters() => null;
}
