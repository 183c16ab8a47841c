namespace Actors.Replication.Protocol;

/// <summary>
/// The clock a replica judges its peers by: real time while the replica runs, except that the time between two
/// consecutive readings counts for at most <c>maxCreditedGap</c>.
/// </summary>
/// <remarks>
/// While a replica's own process is stalled (a GC pause, SIGSTOP, CPU starvation on a loaded machine) it neither hears
/// its peers nor lets its own messages out, so the stall says nothing about them: a leader must not remove a follower
/// from the in-sync set for not acknowledging entries it could not have received yet, and a follower must not ask to lead
/// because its own inbox stood still. Timeouts measured on this clock run only while the replica runs; a stall counts as
/// one gap. The price: on a machine so loaded that readings are further apart than the gap, timeouts take longer in real
/// time. Safety never depends on timeouts (they only decide when to ask the store), only failover time does.
/// Not thread-safe: the replica's driver thread reads it.
/// </remarks>
/// <param name="time">The real clock.</param>
/// <param name="maxCreditedGap">The most one gap between readings counts for (the replica's heartbeat interval: its driver ticks at least that often when running).</param>
internal sealed class RunningClock(TimeProvider time, TimeSpan maxCreditedGap)
{
    private long _lastReading = time.GetTimestamp();
    private TimeSpan _elapsed;

    /// <summary>Running time since this clock was created; every reading credits the gap since the previous one, capped.</summary>
    public TimeSpan Now()
    {
        var reading = time.GetTimestamp();
        var gap = time.GetElapsedTime(_lastReading, reading);
        _lastReading = reading;
        _elapsed += gap < maxCreditedGap ? gap : maxCreditedGap;
        return _elapsed;
    }
}
