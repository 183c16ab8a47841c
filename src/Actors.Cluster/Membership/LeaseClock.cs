namespace Actors.Cluster.Membership;

/// <summary>
/// This silo's conservative view of its own lease. After a renewal sent at local time <c>t</c> succeeds, the silo may act
/// until <c>t + duration x (1 - MaxClockDriftRate)</c>: the store set the lease to its clock at execution (which is after
/// <c>t</c>) plus the duration, so the silo stops before the store could consider the lease expired.
/// </summary>
/// <remarks>Thread-safe. Time is the injected <see cref="TimeProvider"/>'s monotonic timestamp.</remarks>
public sealed class LeaseClock
{
    private readonly TimeProvider _time;
    private readonly TimeSpan _effective;
    private long _deadline;
    private volatile bool _revoked;

    /// <summary>Creates the clock; no lease is held yet.</summary>
    public LeaseClock(TimeProvider time, TimeSpan duration, double maxClockDriftRate)
    {
        _time = time;
        _effective = TimeSpan.FromTicks((long)(duration.Ticks * (1 - maxClockDriftRate)));
    }

    /// <summary>The local timestamp to note just before sending a renewal (or the join that grants the first lease).</summary>
    public long Now() => _time.GetTimestamp();

    /// <summary>Records a successful renewal that was sent at <paramref name="sentAt"/> (a value of <see cref="Now"/>).</summary>
    public void Renewed(long sentAt)
    {
        long deadline = sentAt + (long)(_effective.TotalSeconds * _time.TimestampFrequency);
        long current;
        do
        {
            current = Interlocked.Read(ref _deadline);
            if (deadline <= current)
            {
                return;
            }
        }
        while (Interlocked.CompareExchange(ref _deadline, deadline, current) != current);
    }

    /// <summary>Ends the lease at once and for good (the silo was declared dead, left, or was killed).</summary>
    public void Revoke() => _revoked = true;

    /// <summary>True while the silo may act as a member (owner of partitions, directory owner, grant holder).</summary>
    public bool IsValid => !_revoked && _time.GetTimestamp() < Interlocked.Read(ref _deadline);

    /// <summary>How long the lease still lasts locally (zero when it ended).</summary>
    public TimeSpan Remaining
    {
        get
        {
            if (_revoked)
            {
                return TimeSpan.Zero;
            }

            long left = Interlocked.Read(ref _deadline) - _time.GetTimestamp();
            return left <= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds((double)left / _time.TimestampFrequency);
        }
    }
}
