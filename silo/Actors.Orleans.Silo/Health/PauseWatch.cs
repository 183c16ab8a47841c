using Orleans.Runtime;

namespace Actors.Orleans.Silo.Health;

/// <summary>
/// Notices that this process did not run for a while (SIGSTOP, a VM paused, a starved host) and then re-reads Orleans's
/// membership table at once, instead of at Orleans's next periodic read (up to a minute later). A silo the others
/// declared dead meanwhile reads its own death there and Orleans stops it; until the read answered, the silo reports
/// itself unhealthy (<see cref="SiloActiveHealthCheck"/>), since it may be a stale silo whose grains live elsewhere now.
/// </summary>
/// <remarks>
/// A timer ticks every <see cref="Interval"/>; a tick that finds more than <see cref="Threshold"/> since the previous one
/// counts as a pause. The threshold is the window in which the silos' failure detection (with
/// <c>AddWriteAheadLogReplication</c>'s membership settings: two missed probes of 1 s) can declare a silent silo dead.
/// A failed read (the database unreachable) is retried at every tick; the silo stays unhealthy meanwhile. A starved
/// host costs one read of the table. Thread-safe.
/// </remarks>
internal sealed partial class PauseWatch : BackgroundService
{
    /// <summary>How often the watch ticks.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

    /// <summary>The gap between two ticks that counts as a pause.</summary>
    public static readonly TimeSpan Threshold = TimeSpan.FromSeconds(2);

    private readonly Func<CancellationToken, Task> _refresh;
    private readonly TimeProvider _time;
    private readonly ILogger<PauseWatch> _logger;
    private long _pauseMilliseconds;
    private long _pauses;

    /// <summary>A watch that re-reads Orleans's membership through <paramref name="membership"/> after a pause.</summary>
    public PauseWatch(IClusterMembershipService membership, TimeProvider time, ILogger<PauseWatch> logger)
        : this(ct => membership.Refresh(default, ct).AsTask(), time, logger)
    {
    }

    /// <summary>A watch that calls <paramref name="refresh"/> after a pause (tests).</summary>
    internal PauseWatch(Func<CancellationToken, Task> refresh, TimeProvider time, ILogger<PauseWatch> logger)
    {
        _refresh = refresh;
        _time = time;
        _logger = logger;
    }

    /// <summary>
    /// The length of the last pause while the membership has not been read since it, or null once it has (or when no
    /// pause was seen).
    /// </summary>
    public TimeSpan? Unconfirmed => Interlocked.Read(ref _pauseMilliseconds) is var ms and > 0 ? TimeSpan.FromMilliseconds(ms) : null;

    /// <summary>Pauses seen since the start.</summary>
    public long Pauses => Interlocked.Read(ref _pauses);

    /// <inheritdoc />
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => WatchAsync(stoppingToken);

    /// <summary>The watch's loop: its timer runs from the call on (the first tick is one <see cref="Interval"/> later).</summary>
    internal async Task WatchAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, _time);
        long last = _time.GetTimestamp();
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            long now = _time.GetTimestamp();
            TimeSpan gap = _time.GetElapsedTime(last, now);
            last = now;
            if (gap > Threshold)
            {
                Interlocked.Increment(ref _pauses);
                Interlocked.Exchange(ref _pauseMilliseconds, Math.Max(1, (long)gap.TotalMilliseconds));
                LogPause(gap.TotalSeconds);
            }

            if (Unconfirmed is { } pause)
            {
                try
                {
                    await _refresh(stoppingToken).ConfigureAwait(false);
                    Interlocked.Exchange(ref _pauseMilliseconds, 0);
                    LogConfirmed(pause.TotalSeconds);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    LogRefreshFailed(ex);
                }

                last = _time.GetTimestamp();   // the read's own duration is no pause
            }
        }
    }

    [LoggerMessage(EventId = 30, Level = LogLevel.Warning, Message = "This process did not run for {Seconds:F1} s (stopped, paused or starved): reading Orleans's membership table now; unhealthy until it answered (a silo declared dead meanwhile stops itself)")]
    private partial void LogPause(double seconds);

    [LoggerMessage(EventId = 31, Level = LogLevel.Information, Message = "Orleans's membership table read after a pause of {Seconds:F1} s")]
    private partial void LogConfirmed(double seconds);

    [LoggerMessage(EventId = 32, Level = LogLevel.Warning, Message = "Reading Orleans's membership table after a pause failed; retried at the next tick, unhealthy meanwhile")]
    private partial void LogRefreshFailed(Exception exception);
}
