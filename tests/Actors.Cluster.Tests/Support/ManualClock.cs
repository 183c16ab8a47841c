namespace Actors.Cluster.Tests.Support;

/// <summary>
/// One clock for the store and the silo, moved by hand: wall time and the monotonic timestamp advance together, so a
/// test can starve a silo of renewals for an exact span (timers still run on real time; tests that use this one do not
/// rely on them).
/// </summary>
public sealed class ManualClock : TimeProvider
{
    private long _ticks = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).UtcTicks;

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);

    public override long GetTimestamp() => Interlocked.Read(ref _ticks);

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
}
