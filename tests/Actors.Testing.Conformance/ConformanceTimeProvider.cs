namespace Actors.Wal.Tests.Conformance;

/// <summary>
/// A manual wall clock for tests: <see cref="GetUtcNow"/> returns a value the test sets and advances.
/// Timers and <see cref="TimeProvider.GetTimestamp"/> are the base class's real ones, so an engine that waits on
/// timers (sync interval, batch delay) still makes progress; only the time stamped on records is controlled.
/// </summary>
public sealed class ConformanceTimeProvider : TimeProvider
{
    /// <summary>The default start: a whole second, so every timestamp precision round-trips it.</summary>
    public static readonly DateTimeOffset DefaultStart = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly Lock _lock = new();
    private DateTimeOffset _now;

    public ConformanceTimeProvider()
        : this(DefaultStart)
    {
    }

    public ConformanceTimeProvider(DateTimeOffset start)
    {
        _now = start.ToUniversalTime();
    }

    public override DateTimeOffset GetUtcNow()
    {
        lock (_lock)
        {
            return _now;
        }
    }

    /// <summary>Moves the clock forward by <paramref name="delta"/> (zero or more) and returns the new time.</summary>
    public DateTimeOffset Advance(TimeSpan delta)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delta, TimeSpan.Zero);
        lock (_lock)
        {
            _now += delta;
            return _now;
        }
    }

    /// <summary>Sets the clock, also backwards (to test that logs keep record timestamps monotonic).</summary>
    public void SetUtcNow(DateTimeOffset now)
    {
        lock (_lock)
        {
            _now = now.ToUniversalTime();
        }
    }
}
